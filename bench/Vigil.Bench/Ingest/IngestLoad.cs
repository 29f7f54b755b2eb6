using System.Diagnostics;
using System.Net.Http.Headers;

namespace Vigil.Bench.Ingest;

/// <summary>
/// Ingest load generator: sends pre-built batches (native JSON; OTLP/HTTP protobuf with <c>--format otlp</c>; the same
/// OTLP protobuf over gRPC TraceService/Export with <c>--format otlp-grpc</c>, to <c>--grpc-url</c>) to a running server
/// with N concurrent senders and prints spans/s and p50/p99 batch latency. Batches are built before the clock starts,
/// after an untimed warm-up (<c>--warmup</c> spans, default 100,000, per format), so the figure is the server's steady
/// state. Several formats (<c>--format otlp,otlp-grpc</c>) are compared in <c>--rounds</c> interleaved rounds against the
/// same server, the order alternating from round to round: on a shared machine whose load swings, consecutive
/// whole-format runs compare the load more than the formats. <c>--url</c> may list several instances of a cluster
/// (comma-separated): sender i posts to instance i mod N.
/// </summary>
public static class IngestLoad
{
    private static readonly string[] Formats = ["native", "otlp", "otlp-grpc"];

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
        var rounds = Math.Max(1, a.Int("rounds", 1));
        var formats = a.String("format", "native").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (formats.Length == 0 || formats.Any(f => !Formats.Contains(f))) { Console.Error.WriteLine("--format is native, otlp or otlp-grpc (or a comma list)"); return 1; }
        if (key.Length == 0) { Console.Error.WriteLine("--key (or VIGIL_API_KEY) is required"); return 1; }
        var grpcUrl = a.String("grpc-url", "http://localhost:4317");
        var perRound = total / rounds;

        var http = urls.Select(u =>
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(u) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }).ToArray();
        using var grpc = formats.Contains("otlp-grpc") ? new GrpcTraceSender(grpcUrl, key) : null;
        var runId = "bench" + DateTime.UtcNow.ToString("HHmmssfff");
        var runs = formats.Select(f => new FormatRun(f, f == "otlp-grpc" ? (_, body) => grpc!.SendAsync(body)
            : (sender, body) => PostAsync(http[sender % http.Length], body, f == "native" ? "application/json" : "application/x-protobuf"))).ToList();
        foreach (var run in runs)
        {
            Func<int, int, string, List<byte[]>> generate = run.Format == "native" ? SpanGenerator.Batches : OtlpSpanGenerator.Batches;
            for (var r = 0; r < rounds; r++) run.Rounds.Add(generate(perRound, batchSize, $"{runId}{run.Format}{r}"));
            Console.WriteLine($"ingest ({run.Format}): {perRound * rounds:N0} spans in {rounds} round(s) of {run.Rounds[0].Count:N0} batches of {batchSize}, " +
                $"{concurrency} senders, ~{SpanGenerator.AverageSpanBytes(run.Rounds[0], perRound)} B/span, {(run.Format == "otlp-grpc" ? grpcUrl : url)}");

            // Warm-up, not timed: the connection pool, SQLite's page cache and the JIT. A fresh server spends its first
            // ~100k spans of load re-compiling the hot path at tier-1 (on 2 cores the JIT thread then takes a third of
            // the CPU); measuring from the first request would time the compiler, not the server.
            var warmup = a.Int("warmup", 100_000);
            if (warmup <= 0) continue;
            var warmupFailures = await SendAsync(run.Send, generate(warmup, batchSize, runId + run.Format + "w"), concurrency, new double[(warmup + batchSize - 1) / batchSize]);
            if (warmupFailures > 0) { Console.Error.WriteLine($"{warmupFailures} warm-up batches of {run.Format} failed"); return 2; }
        }

        for (var r = 0; r < rounds; r++)
        {
            // ABAB… then BABA…: neither format always follows the other.
            foreach (var run in r % 2 == 0 ? runs : Enumerable.Reverse(runs))
            {
                var latencies = new double[run.Rounds[r].Count];
                var clock = Stopwatch.StartNew();
                run.Failures += await SendAsync(run.Send, run.Rounds[r], concurrency, latencies);
                clock.Stop();
                run.Rates.Add(perRound / clock.Elapsed.TotalSeconds);
                run.Seconds += clock.Elapsed.TotalSeconds;
                run.Latencies.AddRange(latencies);
            }
        }

        foreach (var run in runs)
        {
            var latencies = run.Latencies.ToArray();
            Array.Sort(latencies);
            var rate = perRound * rounds / run.Seconds;
            var spread = rounds > 1 ? $"  rounds: median {Median(run.Rates):N0}, min {run.Rates.Min():N0}, max {run.Rates.Max():N0}" : "";
            Console.WriteLine($"result{(runs.Count > 1 ? $" {run.Format}" : "")}: {rate:N0} spans/s  ({run.Seconds:N2} s){spread}  batch latency p50 {Percentile(latencies, 0.50):N1} ms  " +
                $"p99 {Percentile(latencies, 0.99):N1} ms  failures {run.Failures}  load average {Vigil.Bench.Live.LiveLatency.LoadAverage()}");
        }
        foreach (var client in http) client.Dispose();
        return runs.Sum(r => r.Failures) == 0 ? 0 : 2;
    }

    /// <summary><c>send(sender, body)</c>: the sender's index picks its instance.</summary>
    private sealed class FormatRun(string format, Func<int, byte[], Task<bool>> send)
    {
        public string Format { get; } = format;
        public Func<int, byte[], Task<bool>> Send { get; } = send;
        public List<List<byte[]>> Rounds { get; } = [];
        public List<double> Rates { get; } = [];
        public List<double> Latencies { get; } = [];
        public double Seconds { get; set; }
        public int Failures { get; set; }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<int> SendAsync(Func<int, byte[], Task<bool>> send, List<byte[]> batches, int concurrency, double[] latencies)
    {
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async sender =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                var t = Stopwatch.GetTimestamp();
                if (!await send(sender, batches[i])) Interlocked.Increment(ref failures);
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
