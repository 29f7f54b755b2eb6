using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Vigil.Bench.Ingest;

namespace Vigil.Bench.Scale;

/// <summary>
/// History at scale against a running server: loads N spans of <see cref="ScaleTraffic"/> (default 10,000,000: 2M traces ×
/// 5 spans over 30 days) through <c>POST /v1/traces</c>, printing the ingest rate per million spans as the database grows,
/// then times every read path of the trace list, metrics and drift (a warm call, then p50/p95 over <c>--runs</c>), an
/// export of 100k traces and a retention run. Phases: <c>--phases load,reads,export,retention</c> (default all); a later
/// call can skip the load with the same <c>--state</c> file. Endpoints a server does not have answer "n/a", so the same
/// command measures an older build.
/// </summary>
public static class ScaleBench
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var url = a.String("url", "http://127.0.0.1:5099").TrimEnd('/');
        var key = a.String("key", Environment.GetEnvironmentVariable("VIGIL_API_KEY") ?? "");
        var adminKey = a.String("admin-key", "");
        var project = a.String("project", "bench");
        var spans = long.Parse(a.String("spans", "10000000"), CultureInfo.InvariantCulture);
        var phases = a.String("phases", "load,reads,export,retention").Split(',');
        var statePath = a.String("state", "scale-state.json");
        var sizes = new DatabaseSize(a.String("db", ""), a.String("pg", ""));
        if (key.Length == 0) { Console.Error.WriteLine("--key is required"); return 1; }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromHours(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        ScaleState state;
        if (phases.Contains("load"))
        {
            state = new ScaleState(a.String("run", "s" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture)), spans / ScaleTraffic.SpansPerTrace, DateTimeOffset.UtcNow.AddMinutes(-1));
            await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(state));
            await LoadAsync(http, state, a.Int("concurrency", 4), a.Int("batch-traces", 20), sizes);
        }
        else state = JsonSerializer.Deserialize<ScaleState>(await File.ReadAllTextAsync(statePath))!;

        var traffic = state.Traffic();
        var timer = new ReadTimer(http, a.Int("runs", 15), a.String("only", ""));
        if (phases.Contains("reads")) await ReadsAsync(timer, traffic);
        if (phases.Contains("export")) await ExportAsync(http, traffic, a.Int("export-traces", 100_000));
        if (phases.Contains("retention"))
        {
            using var admin = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromHours(2) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey.Length > 0 ? adminKey : key);
            await RetentionBench.RunAsync(http, admin, project, a.Int("retention-days", 20), sizes);
        }
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    private static async Task LoadAsync(HttpClient http, ScaleState state, int concurrency, int batchTraces, DatabaseSize sizes)
    {
        var traffic = state.Traffic();
        var total = traffic.Traces * ScaleTraffic.SpansPerTrace;
        var step = total >= 5_000_000 ? 1_000_000 : Math.Max(100_000, total / 10);
        Console.WriteLine($"load: {total:N0} spans ({traffic.Traces:N0} traces × {ScaleTraffic.SpansPerTrace}) over {ScaleTraffic.Days} days, batches of {batchTraces * ScaleTraffic.SpansPerTrace} spans, {concurrency} senders; load average {LoadAverage()}");
        Console.WriteLine("| spans stored | spans/s over the last step | batch p50 / p99 ms | database size | load average |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");

        var batches = Channel.CreateBounded<(long First, byte[] Body)>(new BoundedChannelOptions(concurrency * 8) { SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            for (var t = 0L; t < traffic.Traces; t += batchTraces) await batches.Writer.WriteAsync((t, traffic.Batch(t, batchTraces)));
            batches.Writer.Complete();
        });

        var latencies = new List<double>();
        var gate = new object();
        long done = 0, nextReport = step, failures = 0;
        var stepClock = Stopwatch.StartNew();
        var all = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await foreach (var (first, body) in batches.Reader.ReadAllAsync())
            {
                var t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/traces", content);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"batch at trace {first}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                var n = Math.Min(batchTraces, traffic.Traces - first) * ScaleTraffic.SpansPerTrace;
                lock (gate)
                {
                    latencies.Add(ms);
                    done += n;
                    if (done >= nextReport || done == traffic.Traces * ScaleTraffic.SpansPerTrace)
                    {
                        var rate = latencies.Count * (double)n / stepClock.Elapsed.TotalSeconds;
                        var sorted = latencies.ToArray();
                        Array.Sort(sorted);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {done:N0} | {rate:N0} | {ReadTimer.Pct(sorted, 0.5):0.0} / {ReadTimer.Pct(sorted, 0.99):0.0} | {sizes.Describe()} | {LoadAverage()} |"));
                        latencies.Clear();
                        stepClock.Restart();
                        nextReport += step;
                    }
                }
            }
        }));
        await producer;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {done:N0} spans in {all.Elapsed.TotalMinutes:0.0} min ({done / all.Elapsed.TotalSeconds:N0} spans/s overall), {failures} failed batches"));
    }

    private static async Task ReadsAsync(ReadTimer timer, ScaleTraffic traffic)
    {
        var n = traffic.Traces;
        var end = DateTimeOffset.FromUnixTimeMilliseconds(traffic.TraceStartUs(n) / 1000);
        string Iso(DateTimeOffset d) => Uri.EscapeDataString(d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        var dayAgo10 = end.AddDays(-10);
        Console.WriteLine($"reads: a warm call, then p50/p95 over the timed calls; load average {LoadAverage()}");
        Console.WriteLine("| read path | p50 ms | p95 ms | answer |");
        Console.WriteLine("|---|---:|---:|---|");
        var rng = new Random(3);
        await timer.TimeAsync("`GET /v1/traces` first page", "/v1/traces");
        await timer.TimeAsync("trace detail (5 spans, a different trace each call)", "", vary: i => "/v1/traces/" + traffic.TraceId(rng.NextInt64(n)));
        await timer.TimeAsync($"q = `{ScaleTraffic.HitWord}` (~20 % of traces)", "/v1/traces?q=" + ScaleTraffic.HitWord);
        await timer.TimeAsync($"q = `{ScaleTraffic.CommonWord}` (~90 % of traces)", "/v1/traces?q=" + ScaleTraffic.CommonWord);
        await timer.TimeAsync($"q = `{ScaleTraffic.RareWord}` (~0.1 % of traces)", "/v1/traces?q=" + ScaleTraffic.RareWord);
        await timer.TimeAsync($"q = `{ScaleTraffic.MissWord}` (matches nothing)", "/v1/traces?q=" + ScaleTraffic.MissWord);
        await timer.TimeAsync($"q = an id, `ord-{n / 2}`", $"/v1/traces?q=ord-{n / 2}");
        await timer.TimeAsync($"name = `{ScaleTraffic.RareName}` (5 %)", "/v1/traces?name=" + ScaleTraffic.RareName);
        await timer.TimeAsync("name = `agent` (55 %)", "/v1/traces?name=agent");
        await timer.TimeAsync("name = `zqxjvw` (none)", "/v1/traces?name=zqxjvw");
        await timer.TimeAsync($"model = `{ScaleTraffic.RareModel}` (3 %)", "/v1/traces?model=" + ScaleTraffic.RareModel);
        await timer.TimeAsync("has_errors = true (2 %)", "/v1/traces?has_errors=true");
        await timer.TimeAsync("has_errors = false (98 %)", "/v1/traces?has_errors=false");
        await timer.TimeAsync("status = error", "/v1/traces?status=error");
        await timer.TimeAsync("time range: one day, 10 days ago", $"/v1/traces?start_date={Iso(dayAgo10)}&end_date={Iso(dayAgo10.AddDays(1))}");
        await timer.TimeAsync("time range: one day + sort by cost", $"/v1/traces?start_date={Iso(dayAgo10)}&end_date={Iso(dayAgo10.AddDays(1))}&sort=-cost");
        foreach (var sort in new[] { "duration", "cost", "tokens", "span_count", "name", "start_time_asc" })
            await timer.TimeAsync($"sort = `{sort}`", "/v1/traces?sort=" + sort);
        await timer.TimeAsync("page 20 (offset 950)", "/v1/traces?offset=950");
        await timer.TimeAsync("`GET /v1/spans?kind=llm`", "/v1/spans?kind=llm");
        await timer.TimeAsync("metrics, 24 h × 1 h (Metrics page default)", $"/v1/metrics?start_date={Iso(end.AddDays(-1))}&end_date={Iso(end)}&bucket=1h");
        await timer.TimeAsync("metrics, 7 d × 1 h", $"/v1/metrics?start_date={Iso(end.AddDays(-7))}&end_date={Iso(end)}&bucket=1h");
        await timer.TimeAsync("metrics, 30 d × 1 d", $"/v1/metrics?start_date={Iso(end.AddDays(-30))}&end_date={Iso(end)}&bucket=1d");
        await timer.TimeAsync("`POST /v1/drift/run` (24 h baseline, 1 h current)", "/v1/drift/run", HttpMethod.Post);
    }

    private static async Task ExportAsync(HttpClient http, ScaleTraffic traffic, int traces)
    {
        // The newest `traces` traces by start time: a time range that holds exactly them.
        var from = traffic.TraceStartUs(traffic.Traces - traces);
        var to = traffic.TraceStartUs(traffic.Traces);
        string Iso(long us) => Uri.EscapeDataString(DateTimeOffset.UnixEpoch.AddTicks(us * 10).UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        foreach (var format in new[] { "jsonl", "csv" })
        {
            var t = Stopwatch.StartNew();
            using var response = await http.GetAsync($"/v1/traces/export?format={format}&start_date={Iso(from)}&end_date={Iso(to - 1)}", HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode) { Console.WriteLine($"| export {format} | n/a | {(int)response.StatusCode} |"); continue; }
            var first = 0.0;
            long bytes = 0, lines = 0;
            await using (var stream = await response.Content.ReadAsStreamAsync())
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    if (bytes == 0) first = t.Elapsed.TotalMilliseconds;
                    bytes += read;
                    lines += buffer.AsSpan(0, read).Count((byte)'\n');
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| export {format}, ~{traces:N0} traces | first byte {first:0} ms, all {t.Elapsed.TotalSeconds:0.0} s | {lines:N0} lines, {bytes / 1e6:0.0} MB ({bytes / Math.Max(0.001, t.Elapsed.TotalSeconds) / 1e6:0.0} MB/s) |"));
        }
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public sealed record ScaleState(string Run, long Traces, DateTimeOffset End)
    {
        public ScaleTraffic Traffic() => new(Traces, Run, End);
    }
}
