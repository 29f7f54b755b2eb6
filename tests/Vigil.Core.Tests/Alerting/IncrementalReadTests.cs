using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests.Alerting;

/// <summary>
/// The metric source reads incrementally (new spans, the minutes leaving the settle window, the settle window); at every
/// step it must measure exactly what a fresh source reading the whole window measures: with spans arriving on time, late
/// (back-filled hours into the past) and re-sent within the settle window with a new status and duration.
/// </summary>
public class IncrementalReadTests
{
    private sealed record Sent(string TraceId, string SpanId, DateTimeOffset Start, string Kind);

    [Fact]
    public async Task Every_step_measures_what_a_full_read_measures()
    {
        var (host, time) = await AlertingHost.StartAsync(new() { ["Vigil:Alerting:SettleMinutes"] = "5" });
        await using var _h = host;
        var incremental = host.Get<IMonitorMetricSource>();
        var dbFactory = host.Get<IDbContextFactory<VigilDbContext>>();
        var options = host.Get<IOptions<AlertingOptions>>();
        var rng = new Random(11);
        string[] kinds = ["llm", "tool", "agent"];
        var sent = new List<Sent>();
        var queries = new List<MonitorQuery>();
        foreach (var metric in MonitorMetric.OfSpans)
            foreach (var window in new[] { 5, 15, 60, 120 })
                queries.Add(new MonitorQuery(metric, window, window == 60 ? "llm" : null, window == 120 ? "chat-tool" : null, null,
                    metric == MonitorMetric.SpanCount ? window / 2 : null));

        for (var step = 0; step < 60; step++)
        {
            time.Advance(TimeSpan.FromSeconds(rng.Next(30, 200)));
            var now = time.GetUtcNow();
            var batch = new List<(Sent Span, double Ms, string Status)>();
            for (var i = rng.Next(0, 12); i > 0; i--)
            {
                var kind = kinds[rng.Next(kinds.Length)];
                var late = rng.NextDouble() < 0.15;
                var start = now.AddSeconds(-(late ? rng.Next(600, 7200) : rng.Next(0, 90)));
                var s = new Sent(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N")[..8], start, kind);
                sent.Add(s);
                batch.Add((s, rng.Next(5, 4000), rng.NextDouble() < 0.2 ? "error" : "ok"));
            }
            // Re-send a few spans that started within the settle window: their end, duration and status change.
            foreach (var s in sent.Where(s => s.Start > now.AddMinutes(-4)).OrderBy(_ => rng.Next()).Take(2))
                batch.Add((s, rng.Next(5, 9000), rng.NextDouble() < 0.5 ? "error" : "ok"));
            if (batch.Count > 0)
            {
                var result = await host.IngestJsonAsync(Json(batch));
                Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors));
            }

            var nowUs = UnixMicros.From(now);
            var got = await incremental.ReadAsync("p1", queries, nowUs);
            var expected = await new SpanWindowMetricSource(dbFactory, options).ReadAsync("p1", queries, nowUs);
            for (var q = 0; q < queries.Count; q++)
            {
                var what = $"step {step}, {queries[q]}";
                Assert.True(expected[q].SpanCount == got[q].SpanCount, $"{what}: count {got[q].SpanCount}, a full read says {expected[q].SpanCount}");
                Assert.True(expected[q].NoData == got[q].NoData, $"{what}: no data {got[q].NoData}");
                Assert.True(Close(expected[q].Value, got[q].Value), $"{what}: {got[q].Value}, a full read says {expected[q].Value}");
            }
        }
        Assert.True(sent.Count > 200);
    }

    private static bool Close(double? a, double? b) => a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) <= 1e-9 * Math.Max(1, Math.Abs(a.Value));

    private static string Json(List<(Sent Span, double Ms, string Status)> batch)
    {
        var sb = new StringBuilder("{\"spans\":[");
        for (var i = 0; i < batch.Count; i++)
        {
            var (s, ms, status) = batch[i];
            if (i > 0) sb.Append(',');
            var name = s.Kind == "tool" ? "chat-tool" : s.Kind + "-op";
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"span_id\":\"{s.SpanId}\",\"trace_id\":\"{s.TraceId}\",\"name\":\"{name}\",\"kind\":\"{s.Kind}\",\"status\":\"{status}\",\"start_time\":\"{s.Start.UtcDateTime:O}\",\"end_time\":\"{s.Start.AddMilliseconds(ms).UtcDateTime:O}\",\"usage\":{{\"input_tokens\":{(int)ms % 97},\"output_tokens\":3}},\"cost_usd\":{ms / 1e6}}}");
        }
        return sb.Append("]}").ToString();
    }
}
