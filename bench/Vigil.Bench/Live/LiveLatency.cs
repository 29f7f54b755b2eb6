using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Vigil.Bench.Ingest;

namespace Vigil.Bench.Live;

/// <summary>
/// POST-to-hub-client latency: a SignalR client listens on /hubs/live while a sender posts batches at a fixed
/// span rate; each span id carries its send timestamp, so the receiver measures end-to-end delivery. With
/// <c>--hub-url</c> the client listens on another instance than the one posts go to (<c>--url</c>): the cross-instance
/// path through Redis.
/// </summary>
public static class LiveLatency
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var url = a.String("url", "http://localhost:5000").TrimEnd('/');
        var key = a.String("key", Environment.GetEnvironmentVariable("VIGIL_API_KEY") ?? "");
        var rate = a.Int("rate", 5000);
        var seconds = a.Int("seconds", 20);
        var batchSize = a.Int("batch", 100);
        var hubUrl = a.String("hub-url", url).TrimEnd('/');

        var latencies = new ConcurrentBag<double>();
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl + "/hubs/live", o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .Build();
        connection.On<JsonElement>("spans", spans =>
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var s in spans.EnumerateArray())
            {
                var id = s.GetProperty("span_id").GetString()!;
                var dash = id.IndexOf('-', 4);
                if (id.StartsWith("lat-") && long.TryParse(id.AsSpan(4, dash - 4), out var sent))
                    latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            }
        });
        await connection.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var batchesPerSecond = rate / (double)batchSize;
        var interval = TimeSpan.FromSeconds(1 / batchesPerSecond);
        var total = (int)(batchesPerSecond * seconds);
        Console.WriteLine($"live latency: {rate:N0} spans/s in batches of {batchSize} for {seconds} s, posted to {url}, hub client on {hubUrl}");

        var clock = Stopwatch.StartNew();
        var inflight = new List<Task>();
        for (var b = 0; b < total; b++)
        {
            var due = interval * b;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            inflight.Add(PostAsync(http, b, batchSize));
            inflight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inflight);
        var achieved = total * batchSize / clock.Elapsed.TotalSeconds;
        await Task.Delay(2000); // let the last events arrive
        await connection.DisposeAsync();

        var sorted = latencies.OrderBy(x => x).ToArray();
        Console.WriteLine($"result: sent {total * batchSize:N0} spans at {achieved:N0} spans/s, received {sorted.Length:N0}; " +
                          $"POST-to-client latency p50 {IngestLoad.Percentile(sorted, 0.50):N1} ms  p99 {IngestLoad.Percentile(sorted, 0.99):N1} ms  " +
                          $"max {(sorted.Length > 0 ? sorted[^1] : 0):N1} ms; load average {LoadAverage()}");
        return 0;
    }

    /// <summary>The 1-minute load average (Linux), for the record: figures on a loaded 2-core machine mean little without it.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static async Task PostAsync(HttpClient http, int batch, int size)
    {
        var sent = Stopwatch.GetTimestamp();
        var sb = new StringBuilder("{\"spans\":[");
        for (var i = 0; i < size; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append($$"""{"span_id":"lat-{{sent}}-{{batch}}-{{i}}","trace_id":"lat-{{batch}}","name":"step-{{i}}","kind":"tool","status":"ok","input":{"q":"hello"},"output":{"a":"world"},"start_time":"{{DateTime.UtcNow:O}}","end_time":"{{DateTime.UtcNow:O}}"}""");
        }
        sb.Append("]}");
        using var content = new StringContent(sb.ToString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/v1/traces", content);
        if (!response.IsSuccessStatusCode) Console.Error.WriteLine($"{(int)response.StatusCode}");
    }
}
