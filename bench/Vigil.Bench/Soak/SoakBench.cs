using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Vigil.Bench.Ingest;

namespace Vigil.Bench.Soak;

/// <summary>
/// The soak (issue 16): a fixed ingest rate for N minutes against a running server while headless Chromium holds the Live
/// page, the trace list and a growing trace, and N hub clients listen. Prints failed requests, circuit errors, hub latency
/// and the server's memory per minute; writes the samples (CSV) and a memory plot (SVG) to --out.
/// </summary>
public static class SoakBench
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var url = a.String("url", "http://127.0.0.1:5097").TrimEnd('/');
        var key = a.String("key", Environment.GetEnvironmentVariable("VIGIL_API_KEY") ?? "");
        var project = a.String("project", "bench");
        var pid = a.Int("pid", 0);
        var rate = a.Int("rate", 5000);
        var minutes = double.Parse(a.String("minutes", "10"), CultureInfo.InvariantCulture);
        var batch = a.Int("batch", 100);
        var hubClients = a.Int("hub-clients", 20);
        var withBrowser = a.String("browser", "on") != "off"; // off: to see what the browser costs
        var outDir = a.String("out", Path.Combine(Path.GetTempPath(), "vigil-soak"));
        Directory.CreateDirectory(outDir);
        if (pid == 0) { Console.Error.WriteLine("--pid <server process id> is required (its memory is the point)"); return 2; }

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var traffic = new SoakTraffic(http, rate, batch);
        await using var hubs = new HubListeners(url, key, hubClients);
        await using var browser = new BrowserWatch();
        var sampler = new MemorySampler(pid);
        using var stop = new CancellationTokenSource();

        Console.WriteLine($"soak: {rate:N0} spans/s in batches of {batch} for {minutes} min against {url}; {hubClients} hub clients; " +
                          $"Chromium on /live, /traces and /traces/{SoakTraffic.GrowingTraceId}; load average {Live.LiveLatency.LoadAverage()}");
        await hubs.StartAsync(stop.Token);
        if (withBrowser) await browser.StartAsync(url, project, a.String("email", "admin@soak.test"), a.String("password", "soak-admin-password"), a.String("chromium", "/usr/bin/chromium"), a.String("pages", "live,list,trace"));

        var start = DateTime.UtcNow;
        var sampling = sampler.RunAsync(start, TimeSpan.FromSeconds(5), stop.Token);
        var sending = traffic.RunAsync(TimeSpan.FromMinutes(minutes), stop.Token);
        var lastMinute = -1;
        var hubAtMinute = hubs.Latency.Snapshot();
        var batchAtMinute = traffic.BatchLatency.Snapshot();
        long[]? hubAfterFirstMinute = null; // the rest of the run, without the start (cold code, first renders)
        while (!sending.IsCompleted)
        {
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(30)));
            var minute = (DateTime.UtcNow - start).TotalMinutes;
            var line = withBrowser ? await browser.SampleAsync(minute) : $"minute {minute:0.0}";
            if ((int)minute != lastMinute)
            {
                lastMinute = (int)minute;
                // The window's p99s (since the previous line) show whether a high cumulative figure is the start or the steady state.
                Console.WriteLine($"  {line}; accepted {traffic.SpansAccepted:N0}, failed requests {traffic.FailedRequests}, hub spans {hubs.Received:N0}, " +
                                  $"hub p99 {hubs.Latency.Percentile(0.99):N1} ms (this minute {hubs.Latency.PercentileSince(hubAtMinute, 0.99):N1}), " +
                                  $"batch p99 this minute {traffic.BatchLatency.PercentileSince(batchAtMinute, 0.99):N1} ms, RSS {sampler.ReadRssMb():N0} MB, load {Live.LiveLatency.LoadAverage()}");
                hubAtMinute = hubs.Latency.Snapshot();
                batchAtMinute = traffic.BatchLatency.Snapshot();
                if (minute >= 1 && hubAfterFirstMinute is null) hubAfterFirstMinute = hubAtMinute;
            }
        }
        await sending;
        var elapsed = DateTime.UtcNow - start;
        await Task.Delay(3000); // the last pushes
        var growing = withBrowser ? await browser.GrowingTraceSpansAsync() : "n/a";
        if (withBrowser) await browser.ScreenshotAsync(outDir);
        var closed = hubs.Closed;
        await stop.CancelAsync();
        await sampling;

        var first = sampler.MeanRssInMinute(0);
        var last = sampler.MeanRssInMinute(Math.Max(0, Math.Ceiling(minutes) - 1));
        var expectedHub = (long)hubClients * traffic.SpansAccepted;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"sent {traffic.SpansSent:N0} spans in {elapsed.TotalMinutes:N1} min ({traffic.SpansSent / elapsed.TotalSeconds:N0} spans/s), accepted {traffic.SpansAccepted:N0}; failed requests {traffic.FailedRequests}; sender more than 1 s behind on {traffic.LateBatches} batches");
        report.AppendLine(CultureInfo.InvariantCulture, $"batch POST latency p50 {traffic.BatchLatency.Percentile(0.5):N1} ms, p99 {traffic.BatchLatency.Percentile(0.99):N1} ms");
        report.AppendLine(CultureInfo.InvariantCulture, $"hub: {hubClients} clients, {hubs.Connected} connected at the end, {closed} closed early; received {hubs.Received:N0} of {expectedHub:N0} spans; POST-to-client p50 {hubs.Latency.Percentile(0.5):N1} ms, p99 {hubs.Latency.Percentile(0.99):N1} ms, p99.9 {hubs.Latency.Percentile(0.999):N1} ms");
        if (hubAfterFirstMinute is not null)
            report.AppendLine(CultureInfo.InvariantCulture, $"hub after the first minute (the issue's target counts the whole run): p50 {hubs.Latency.PercentileSince(hubAfterFirstMinute, 0.5):N1} ms, p99 {hubs.Latency.PercentileSince(hubAfterFirstMinute, 0.99):N1} ms, p99.9 {hubs.Latency.PercentileSince(hubAfterFirstMinute, 0.999):N1} ms");
        report.AppendLine(CultureInfo.InvariantCulture, $"browser: {browser.CircuitErrors} circuit errors; the growing trace shows {growing} spans (posted: {traffic.GrowingSpans + 1})");
        report.AppendLine(CultureInfo.InvariantCulture, $"server RSS: minute 1 mean {first:N0} MB, minute {minutes} mean {last:N0} MB ({(last - first) / first * 100:+0.0;-0.0} %), max {sampler.Samples.Max(s => s.RssMb):N0} MB; CPU {sampler.Samples[^1].CpuSeconds - sampler.Samples[0].CpuSeconds:N0} s");
        Console.Write(report);
        foreach (var e in browser.Errors.Take(20)) Console.WriteLine("  browser: " + e);
        foreach (var f in traffic.Failures) Console.WriteLine("  request: " + f);

        await File.WriteAllTextAsync(Path.Combine(outDir, "soak-report.txt"), report + string.Join('\n', browser.Samples) + "\n");
        await File.WriteAllLinesAsync(Path.Combine(outDir, "soak-memory.csv"),
            sampler.Samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Minute:0.000},{s.RssMb:0.0},{s.CpuSeconds:0.00},{s.LoadAverage}")).Prepend("minute,rss_mb,cpu_s,load1"));
        await File.WriteAllTextAsync(Path.Combine(outDir, "soak-memory.svg"),
            SoakPlot.MemorySvg(sampler.Samples, $"Vigil server RSS, {rate:N0} spans/s, {hubClients} hub clients, Chromium on 3 pages"));
        Console.WriteLine($"samples, plot and screenshots: {outDir}");
        return traffic.FailedRequests == 0 && browser.CircuitErrors == 0 && closed == 0 ? 0 : 1;
    }
}
