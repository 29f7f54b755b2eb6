using System.Diagnostics;
using System.Net.Http.Headers;

namespace Vigil.Bench.Ingest;

/// <summary>
/// Ingest load generator: posts pre-built batches (native JSON, or OTLP/HTTP protobuf with <c>--format otlp</c>) to a
/// running server with N concurrent senders and prints spans/s and p50/p99 batch latency. Batches are built before the
/// clock starts, after an untimed warm-up (<c>--warmup</c> spans, default 100,000), so the figure is the server's steady state.
/// <c>--url</c> may list several instances of a cluster (comma-separated): sender i posts to instance i mod N.
/// </summary>
public static class IngestLoad
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var urls = a.String("url", Environment.GetEnvironmentVariable("VIGIL_ENDPOINT") ?? "http://localhost:5000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => u.TrimEnd('/')).ToArray();
        var url = string.Join(", ", urls);
        var key = a.String("key", Environment.GetEnvironmentVariable("VIGIL_API_KEY") ?? "");
        var total = a.Int("spans", 100_000);
        var batchSize = a.Int("batch", 100);
        var concurrency = a.Int("concurrency", 4);
        var format = a.String("format", "native");
        if (format is not ("native" or "otlp")) { Console.Error.WriteLine("--format is native or otlp"); return 1; }
        var otlp = format == "otlp";
        var contentType = otlp ? "application/x-protobuf" : "application/json";
        Func<int, int, string, List<byte[]>> generate = otlp ? OtlpSpanGenerator.Batches : SpanGenerator.Batches;
        if (key.Length == 0) { Console.Error.WriteLine("--key (or VIGIL_API_KEY) is required"); return 1; }

        var runId = "bench" + DateTime.UtcNow.ToString("HHmmssfff");
        var batches = generate(total, batchSize, runId);
        Console.WriteLine($"ingest ({format}): {total:N0} spans in {batches.Count:N0} batches of {batchSize}, {concurrency} senders, ~{SpanGenerator.AverageSpanBytes(batches, total)} B/span, {url}");

        var http = urls.Select(u =>
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(u) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }).ToArray();

        // Warm-up, not timed: the connection pool, SQLite's page cache and the JIT. A fresh server spends its first
        // ~100k spans of load re-compiling the hot path at tier-1 (on 2 cores the JIT thread then takes a third of
        // the CPU); measuring from the first request would time the compiler, not the server.
        var warmup = a.Int("warmup", 100_000);
        if (warmup > 0)
        {
            var warmupFailures = await SendAsync(http, generate(warmup, batchSize, runId + "w"), concurrency, contentType, new double[(warmup + batchSize - 1) / batchSize]);
            if (warmupFailures > 0) { Console.Error.WriteLine($"{warmupFailures} warm-up batches failed"); return 2; }
        }

        var latencies = new double[batches.Count];
        var clock = Stopwatch.StartNew();
        var failures = await SendAsync(http, batches, concurrency, contentType, latencies);
        clock.Stop();

        Array.Sort(latencies);
        var rate = total / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"result: {rate:N0} spans/s  ({clock.Elapsed.TotalSeconds:N2} s)  batch latency p50 {Percentile(latencies, 0.50):N1} ms  p99 {Percentile(latencies, 0.99):N1} ms  failures {failures}  load average {Vigil.Bench.Live.LiveLatency.LoadAverage()}");
        foreach (var client in http) client.Dispose();
        return failures == 0 ? 0 : 2;
    }

    private static async Task<int> SendAsync(HttpClient[] instances, List<byte[]> batches, int concurrency, string contentType, double[] latencies)
    {
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async sender =>
        {
            var http = instances[sender % instances.Length];
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                var t = Stopwatch.GetTimestamp();
                if (!await PostAsync(http, batches[i], contentType)) Interlocked.Increment(ref failures);
                latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        }));
        return failures;
    }

    private static async Task<bool> PostAsync(HttpClient http, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync("/v1/traces", content);
        if (response.IsSuccessStatusCode) return true;
        Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return false;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
