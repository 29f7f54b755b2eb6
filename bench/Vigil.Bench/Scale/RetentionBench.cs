using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Vigil.Bench.Scale;

/// <summary>
/// A retention run under live ingest: ingest at a fixed rate (batches of 50 spans every 100 ms, ~500 spans/s) for 15 s
/// to get its normal batch latency, then set the project's retention to <c>days</c> and run it now while the same
/// ingest continues; prints what was deleted, how long it took, the database size before and after, and the ingest's
/// batch latency in both periods.
/// </summary>
public static class RetentionBench
{
    public static async Task RunAsync(HttpClient http, HttpClient admin, string project, int days, DatabaseSize sizes)
    {
        var probe = await admin.GetAsync($"/v1/projects/{project}/retention");
        if (!probe.IsSuccessStatusCode) { Console.WriteLine($"| retention | n/a | {(int)probe.StatusCode} |"); return; }

        var before = sizes.Bytes();
        var beforeMain = sizes.MainFileBytes();
        // Live traffic: the last 1M traces of a long schedule, so it does not run out (10 traces a tick, 100,000 ticks, 2.8 h;
        // at 10M spans the run outlasted the 100k of before) and starts ~7 h ago, well inside any retention window.
        var live = new ScaleTraffic(100_000_000, "live" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
        using var stop = new CancellationTokenSource();
        var latencies = new List<(double At, double Ms)>();
        var clock = Stopwatch.StartNew();
        var failed = 0;
        var ingest = Task.Run(async () =>
        {
            var next = live.Traces - 1_000_000;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (await timer.WaitForNextTickAsync(CancellationToken.None) && !stop.IsCancellationRequested)
            {
                var body = live.Batch(next, 10);
                next += 10;
                var t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/traces", content);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (!response.IsSuccessStatusCode && Interlocked.Increment(ref failed) <= 3)
                    Console.Error.WriteLine($"live ingest: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                lock (latencies) latencies.Add((clock.Elapsed.TotalSeconds, ms));
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(15));
        var normalUntil = clock.Elapsed.TotalSeconds;
        var put = await admin.PutAsync($"/v1/projects/{project}/retention",
            new StringContent($$"""{"days": {{days}}, "max_spans": null}""", Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        var run = Stopwatch.StartNew();
        using var response = await admin.PostAsync($"/v1/projects/{project}/retention/run", null);
        var answer = await response.Content.ReadAsStringAsync();
        run.Stop();
        var runUntil = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await ingest;

        double[] Sorted(Func<double, bool> when) { lock (latencies) { var a = latencies.Where(l => when(l.At)).Select(l => l.Ms).ToArray(); Array.Sort(a); return a; } }
        var normal = Sorted(at => at <= normalUntil);
        var during = Sorted(at => at > normalUntil && at <= runUntil);
        var after = sizes.Bytes();
        var afterMain = sizes.MainFileBytes();
        if (failed > 0) Console.WriteLine($"  live ingest: {failed} failed batches (their latency is not a write's)");
        Console.WriteLine($"retention: days = {days}, answer {(int)response.StatusCode} {answer} in {run.Elapsed.TotalSeconds:0.0} s; load average {ScaleBench.LoadAverage()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  database {before / 1e9:0.00} GB → {after / 1e9:0.00} GB (main file {beforeMain / 1e9:0.00} → {afterMain / 1e9:0.00} GB, {100.0 * (beforeMain - afterMain) / Math.Max(1, beforeMain ?? 1):0}% smaller)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  live ingest (50 spans / 100 ms): normal p50 {ReadTimer.Pct(normal, 0.5):0.0} / p99 {ReadTimer.Pct(normal, 0.99):0.0} ms ({normal.Length} batches); during the run p50 {ReadTimer.Pct(during, 0.5):0.0} / p99 {ReadTimer.Pct(during, 0.99):0.0} ms ({during.Length} batches)"));
    }
}
