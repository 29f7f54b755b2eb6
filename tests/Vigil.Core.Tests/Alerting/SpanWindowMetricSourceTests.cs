using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Drift;
using Vigil.Core.Storage;
using static Vigil.Core.Tests.Alerting.MonitorSeed;

namespace Vigil.Core.Tests.Alerting;

/// <summary>The span-window source measures every metric over exactly its window, with its filters, from one read per project.</summary>
public class SpanWindowMetricSourceTests
{
    private static readonly DateTimeOffset Now = AlertingHost.Now;
    private static long NowUs => UnixMicros.From(Now);

    private static async Task<IReadOnlyList<MonitorReading>> ReadAsync(CoreTestHost host, params MonitorQuery[] queries) =>
        await host.Get<IMonitorMetricSource>().ReadAsync("p1", queries, NowUs);

    [Fact]
    public async Task Each_metric_over_its_window()
    {
        var (host, _) = await AlertingHost.StartAsync();
        await using var _h = host;
        var spans = new List<S>();
        // Last 10 minutes: 20 llm spans, 5 of them errors, latencies 10..200 ms, 100 + 50 tokens and $0.01 each.
        for (var i = 0; i < 20; i++)
            spans.Add(new S(Now.AddMinutes(-9.5 + i * 0.4), DurationMs: (i + 1) * 10, Status: i % 4 == 0 ? "error" : "ok",
                Model: "gpt-4o", InputTokens: 100, OutputTokens: 50, CostUsd: 0.01));
        // 30 to 50 minutes ago: 10 slow tool spans, all ok; and one span in the future (not yet in any window).
        for (var i = 0; i < 10; i++) spans.Add(new S(Now.AddMinutes(-50 + i * 2), DurationMs: 5000, Kind: "tool", Name: "search"));
        spans.Add(new S(Now.AddMinutes(1), Status: "error"));
        await IngestAsync(host, spans);

        var r = await ReadAsync(host,
            new MonitorQuery(MonitorMetric.ErrorRate, 15, null, null, null),
            new MonitorQuery(MonitorMetric.ErrorRate, 60, null, null, null),
            new MonitorQuery(MonitorMetric.LatencyP50, 15, "llm", null, null),
            new MonitorQuery(MonitorMetric.LatencyP95, 15, "llm", null, null),
            new MonitorQuery(MonitorMetric.LatencyP99, 60, "tool", "search", null),
            new MonitorQuery(MonitorMetric.CostPerHour, 15, null, null, null),
            new MonitorQuery(MonitorMetric.TokensPerHour, 30, null, null, "gpt-4o"),
            new MonitorQuery(MonitorMetric.SpanCount, 60, null, null, null),
            new MonitorQuery(MonitorMetric.SpanCount, 15, "tool", null, null),
            new MonitorQuery(MonitorMetric.LatencyP50, 15, "tool", null, null));

        Assert.Equal(5.0 / 20, r[0].Value!.Value, 9);
        Assert.Equal(20, r[0].SpanCount);
        Assert.Equal(5.0 / 30, r[1].Value!.Value, 9);
        var latencies = Enumerable.Range(1, 20).Select(i => i * 10.0).ToArray();
        Assert.Equal(Psi.QuantileOfSorted(latencies, 0.50), r[2].Value!.Value, 6);
        Assert.Equal(Psi.QuantileOfSorted(latencies, 0.95), r[3].Value!.Value, 6);
        Assert.Equal(5000, r[4].Value!.Value, 6);
        Assert.Equal(20 * 0.01 / 0.25, r[5].Value!.Value, 9); // $0.20 in a quarter of an hour
        Assert.Equal(20 * 150 / 0.5, r[6].Value!.Value, 9);
        Assert.Equal(30, r[7].Value);
        Assert.Equal(0, r[8].Value);
        Assert.Null(r[9].Value); // no tool span in the last 15 minutes: nothing to take a percentile of
    }

    [Fact]
    public async Task No_data_looks_at_the_last_N_minutes_of_matching_spans_only()
    {
        var (host, _) = await AlertingHost.StartAsync();
        await using var _h = host;
        await IngestAsync(host, [new S(Now.AddMinutes(-3), Kind: "tool"), new S(Now.AddMinutes(-20), Kind: "llm")]);

        var r = await ReadAsync(host,
            new MonitorQuery(MonitorMetric.SpanCount, 5, "llm", null, null, NoDataMinutes: 10),
            new MonitorQuery(MonitorMetric.SpanCount, 5, "tool", null, null, NoDataMinutes: 10),
            new MonitorQuery(MonitorMetric.SpanCount, 5, "llm", null, null, NoDataMinutes: 30));

        Assert.True(r[0].NoData);   // the last llm span is 20 minutes old
        Assert.False(r[1].NoData);
        Assert.False(r[2].NoData);  // the no-data look-back reaches past the 5-minute window
        Assert.Equal(0, r[0].Value);
    }

    [Fact]
    public async Task Another_projects_spans_never_count()
    {
        var (host, _) = await AlertingHost.StartAsync();
        await using var _h = host;
        await host.Get<Vigil.Core.Projects.ProjectService>().CreateAsync("p2", "Two", null);
        await IngestAsync(host, [new S(Now.AddMinutes(-1), Status: "error")], "p2");
        await IngestAsync(host, [new S(Now.AddMinutes(-1))]);

        var r = await ReadAsync(host, new MonitorQuery(MonitorMetric.ErrorRate, 5, null, null, null));

        Assert.Equal(0, r[0].Value);
        Assert.Equal(1, r[0].SpanCount);
    }
}
