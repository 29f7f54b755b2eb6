using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Live;
using Vigil.Core.Notifications;

namespace Vigil.Core.Tests.Drift;

public class DriftDetectorTests
{
    private static readonly string[] Kinds = ["llm", "tool", "retriever"];

    [Fact]
    public async Task Slow_llm_hour_opens_one_high_latency_alert_and_a_second_run_updates_it()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, Kinds, slowKinds: ["llm"]));
        using var live = host.Get<LiveFeed>().Subscribe("p1");
        var detector = host.Get<DriftDetector>();

        var first = await detector.RunAsync("p1");

        Assert.NotNull(first);
        var alert = Assert.Single(first.Opened);
        Assert.Equal(("llm", "latency", "high"), (alert.SpanKind, alert.Metric, alert.Severity));
        Assert.True(alert.PsiScore >= 0.2);
        Assert.Equal(109, alert.BaselineValue, 6);
        Assert.Equal(327, alert.CurrentValue, 6);
        Assert.Equal((50, 20), (alert.BaselineCount, alert.CurrentCount));
        Assert.Equal(DriftHost.Now.AddHours(-1).ToUnixTimeMilliseconds() * 1000, alert.CurrentStartUs);
        Assert.Equal(DriftHost.Now.AddHours(-25).ToUnixTimeMilliseconds() * 1000, alert.BaselineStartUs);
        var histogram = DriftHistogram.Parse(alert.Histogram);
        Assert.NotNull(histogram);
        Assert.Equal(histogram.Baseline.Length + 1, histogram.Edges.Length);
        // The alert's notification is announced too ("notification"); the alert itself goes out as drift_alert.
        var pushed = new List<string>();
        while (live.Reader.TryRead(out var e)) pushed.Add(e.Type);
        Assert.Equal(["drift_alert", "notification"], pushed.Order().ToArray());

        var second = await detector.RunAsync("p1");

        Assert.Empty(second!.Opened);
        Assert.Equal(alert.Id, Assert.Single(second.Updated).Id);
        await using var db = await host.Db();
        Assert.Equal(1, await db.DriftAlerts.CountAsync());
        // Every judged group and metric is measured at each run: 3 kinds × (latency, error_rate) + llm × (tokens, output_length).
        Assert.Equal(2 * 8, await db.DriftMeasurements.CountAsync());
        var notifications = await host.Get<NotificationService>().ListAsync("p1");
        Assert.Equal(NotificationType.DriftAlert, Assert.Single(notifications).Type);
        Assert.Equal(alert.Id.ToString(), notifications[0].ReferenceId);
    }

    [Fact]
    public async Task Resolving_an_alert_is_pushed_live()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, Kinds, slowKinds: ["llm"]));
        var alert = Assert.Single((await host.Get<DriftDetector>().RunAsync("p1"))!.Opened);
        using var live = host.Get<LiveFeed>().Subscribe("p1");
        var service = host.Get<DriftAlertService>();

        var resolved = await service.ResolveAsync("p1", alert.Id);

        Assert.True(resolved!.Resolved);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var e = await live.Reader.ReadAsync(cts.Token);
        Assert.Equal("drift_resolved", e.Type);
        Assert.Equal(alert.Id, ((DriftResolvedEvent)e).Alert.Id);
        Assert.Empty(await service.ListAsync("p1", includeResolved: false));
        Assert.Single(await service.ListAsync("p1", includeResolved: true));
        Assert.Null(await service.ResolveAsync("other", alert.Id));
    }

    [Fact]
    public async Task A_group_back_under_the_threshold_resolves_its_open_alert()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, Kinds, slowKinds: []));
        long id;
        await using (var db = await host.Db())
        {
            var stale = new DriftAlert { ProjectId = "p1", SpanKind = "tool", Metric = "latency", Severity = "high", PsiScore = 0.9 };
            db.DriftAlerts.Add(stale);
            await db.SaveChangesAsync();
            id = stale.Id;
        }
        using var live = host.Get<LiveFeed>().Subscribe("p1");

        var run = await host.Get<DriftDetector>().RunAsync("p1");

        Assert.Empty(run!.Opened);
        var resolved = Assert.Single(run.Resolved);
        Assert.Equal(id, resolved.Id);
        Assert.True(resolved.PsiScore < 0.1);
        Assert.True(live.Reader.TryRead(out var e));
        Assert.Equal("drift_resolved", e.Type);
    }

    [Fact]
    public async Task Too_few_samples_are_not_judged()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm"], ["llm"], baselineCount: 9, currentCount: 20));
        var run = await host.Get<DriftDetector>().RunAsync("p1");
        Assert.Equal(0, run!.MeasurementCount);
        Assert.Empty(run.Opened);
    }

    [Fact]
    public async Task Grouping_by_name_and_equal_width_binning_follow_the_project_settings()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm"], ["llm"]));
        await host.Get<DriftSettingsService>().UpdateAsync("p1", true, 30, 24, 1, DriftBinning.EqualWidth, DriftGroupBy.KindName);

        var alert = Assert.Single((await host.Get<DriftDetector>().RunAsync("p1"))!.Opened);

        Assert.Equal("llm-op", alert.SpanName);
        Assert.Equal("equal_width", DriftHistogram.Parse(alert.Histogram)!.Binning);
        var settings = await host.Get<DriftSettingsService>().GetAsync("p1");
        Assert.Equal(30, settings!.IntervalMinutes);
    }

    [Fact]
    public async Task Another_projects_spans_are_not_read()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await host.Get<Vigil.Core.Projects.ProjectService>().CreateAsync("p2", "two", null);
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, Kinds, ["llm"]), project: "p2");
        var run = await host.Get<DriftDetector>().RunAsync("p1");
        Assert.Equal(0, run!.MeasurementCount);
        Assert.Null(await host.Get<DriftDetector>().RunAsync("missing"));
    }
}
