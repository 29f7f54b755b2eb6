using Microsoft.EntityFrameworkCore;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using static Vigil.Core.Tests.Alerting.MonitorSeed;

namespace Vigil.Core.Tests.Alerting;

public class MonitorEvaluatorTests
{
    private static readonly DateTimeOffset Now = AlertingHost.Now;

    private static async Task<AlertMonitor> CreateAsync(CoreTestHost host, MonitorInput input) =>
        (await host.Get<MonitorService>().CreateAsync("p1", input)).Value ?? throw new InvalidOperationException("not created");

    private static MonitorInput ErrorRate(int? hysteresis = null) => new("errors", MonitorMetric.ErrorRate, 15, 0.1, 0.3, MonitorDirection.Above, Hysteresis: hysteresis);

    [Fact]
    public async Task A_state_change_is_stored_with_its_value_queued_for_channels_rung_and_pushed()
    {
        var (host, time) = await AlertingHost.StartAsync();
        await using var _h = host;
        var monitor = await CreateAsync(host, ErrorRate());
        await IngestAsync(host, Enumerable.Range(0, 10).Select(i => new S(Now.AddMinutes(-5), Status: i < 5 ? "error" : "ok")));
        using var live = host.Get<LiveFeed>().Subscribe("p1");
        var evaluator = host.Get<MonitorEvaluator>();

        var first = await evaluator.EvaluateAsync();
        Assert.Empty(first.Changes); // hysteresis 2 (the server default): pending only
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await evaluator.EvaluateAsync();

        var change = Assert.Single(second.Changes);
        Assert.Equal((monitor.Id, "ok", "critical", MonitorReason.Threshold, false), (change.MonitorId, change.FromState, change.ToState, change.Reason, change.Silenced));
        Assert.Equal(0.5, change.Value!.Value, 9);
        Assert.Equal((0.1, 0.3, "above"), (change.Warning!.Value, change.Critical!.Value, change.Direction));

        await using var db = await host.Db();
        var stored = await db.Monitors.SingleAsync();
        Assert.Equal((MonitorState.Critical, 0.5, (string?)null, 0), (stored.State, stored.LastValue!.Value, stored.PendingState, stored.PendingCount));
        Assert.Equal(2, await db.MonitorSamples.CountAsync());
        // The outbox entry was committed with the change.
        var entry = await db.AlertOutbox.SingleAsync();
        var e = AlertEvent.FromJson(entry.Payload);
        Assert.Equal(("monitor", "critical", "ok", "critical", "fired"), (entry.Source, e.State, e.PreviousState, entry.Level, e.Change));
        Assert.Equal(0.5, e.Value!.Value, 9);
        Assert.Equal(monitor.Id, e.Monitor!.Id);

        var bell = Assert.Single(await host.Get<NotificationService>().ListAsync("p1"));
        Assert.Equal((NotificationType.MonitorAlert, "Monitor 'errors' is critical", monitor.Id.ToString()), (bell.Type, bell.Title, bell.ReferenceId));
        var pushed = new List<string>();
        while (live.Reader.TryRead(out var ev)) pushed.Add(ev.Type);
        Assert.Contains("monitor_state", pushed);
        Assert.Contains("notification", pushed);
        Assert.Equal(2, pushed.Count(t => t == "monitors_evaluated"));
    }

    /// <summary>score_avg reads the scores in its window: a fall in feedback turns it critical, scores outside the window do not count.</summary>
    [Fact]
    public async Task A_score_avg_monitor_follows_the_mean_of_its_score_in_the_window()
    {
        var (host, time) = await AlertingHost.StartAsync();
        await using var _h = host;
        var monitor = await CreateAsync(host, new MonitorInput("feedback", MonitorMetric.ScoreAvg, 60, 0.8, 0.5, MonitorDirection.Below, Hysteresis: 1, ScoreName: "helpful"));
        var scores = host.Get<Vigil.Core.Scores.ScoreService>();
        async Task ScoreAsync(object value, DateTimeOffset at, string name = "helpful") =>
            Assert.Empty((await scores.AddAsync("p1", new Vigil.Core.Scores.ScoreInput { TraceId = "t-" + Guid.NewGuid().ToString("N"), Name = name, Value = value, CreatedAt = at })).Errors);
        await ScoreAsync(true, Now.AddHours(-3)); // before the window
        await ScoreAsync(0.0, Now.AddMinutes(-30), name: "other");
        await ScoreAsync(0.9, Now.AddMinutes(-20));
        await ScoreAsync(1.0, Now.AddMinutes(-10));
        var evaluator = host.Get<MonitorEvaluator>();

        Assert.Empty((await evaluator.EvaluateAsync()).Changes);
        await using (var db = await host.Db())
            Assert.Equal(0.95, (await db.Monitors.SingleAsync()).LastValue!.Value, 9);

        await ScoreAsync(false, Now.AddMinutes(-5));
        await ScoreAsync(0.0, Now.AddMinutes(-2));
        time.Advance(TimeSpan.FromMinutes(1));
        var change = Assert.Single((await evaluator.EvaluateAsync()).Changes);
        Assert.Equal((monitor.Id, "ok", "critical"), (change.MonitorId, change.FromState, change.ToState));
        Assert.Equal(1.9 / 4, change.Value!.Value, 9);
    }

    [Fact]
    public async Task Ok_warning_critical_ok_with_hysteresis()
    {
        var (host, time) = await AlertingHost.StartAsync();
        await using var _h = host;
        await CreateAsync(host, ErrorRate(hysteresis: 2));
        var evaluator = host.Get<MonitorEvaluator>();
        var states = new List<string>();

        async Task StepAsync(int ok, int errors)
        {
            // Each step's spans are the only ones in the 15-minute window: the clock moves 20 minutes between steps.
            time.Advance(TimeSpan.FromMinutes(20));
            await IngestAsync(host, Enumerable.Range(0, ok + errors).Select(i => new S(time.GetUtcNow().AddMinutes(-1), Status: i < errors ? "error" : "ok")));
            foreach (var c in (await evaluator.EvaluateAsync()).Changes) states.Add(c.ToState);
        }

        await StepAsync(8, 2);  // 20 %: warning pending
        await StepAsync(8, 2);  // warning
        await StepAsync(5, 5);  // 50 %: critical pending
        await StepAsync(9, 1);  // 10 %: not above warning: ok pending (critical forgotten)
        await StepAsync(5, 5);  // critical pending again
        await StepAsync(5, 5);  // critical
        await StepAsync(10, 0); // ok pending
        await StepAsync(10, 0); // ok

        Assert.Equal(["warning", "critical", "ok"], states);
        await using var db = await host.Db();
        var history = await db.MonitorStateChanges.OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([0.2, 0.5, 0.0], history.Select(c => Math.Round(c.Value!.Value, 3)));
        Assert.Equal(3, await db.AlertOutbox.CountAsync());
    }

    [Fact]
    public async Task A_silenced_monitor_stores_its_change_but_neither_rings_nor_queues_it()
    {
        var (host, _) = await AlertingHost.StartAsync();
        await using var _h = host;
        var monitor = await CreateAsync(host, ErrorRate(hysteresis: 1));
        await host.Get<MonitorService>().SilenceAsync("p1", monitor.Id, 60);
        await IngestAsync(host, [new S(Now.AddMinutes(-1), Status: "error")]);

        var change = Assert.Single((await host.Get<MonitorEvaluator>().EvaluateAsync()).Changes);

        Assert.True(change.Silenced);
        await using var db = await host.Db();
        Assert.Equal(0, await db.AlertOutbox.CountAsync());
        Assert.Empty(await host.Get<NotificationService>().ListAsync("p1"));
        Assert.Equal(MonitorState.Critical, (await db.Monitors.SingleAsync()).State);
    }

    [Fact]
    public async Task No_data_for_N_minutes_goes_critical_and_recovers_when_spans_come_back()
    {
        var (host, time) = await AlertingHost.StartAsync();
        await using var _h = host;
        await CreateAsync(host, new MonitorInput("heartbeat", MonitorMetric.SpanCount, 5, null, null, MonitorDirection.Below, "agent", NoDataMinutes: 10, Hysteresis: 1));
        var evaluator = host.Get<MonitorEvaluator>();
        await IngestAsync(host, [new S(Now.AddMinutes(-2), Kind: "agent")]);
        Assert.Empty((await evaluator.EvaluateAsync()).Changes);

        time.Advance(TimeSpan.FromMinutes(15));
        var silent = Assert.Single((await evaluator.EvaluateAsync()).Changes);
        Assert.Equal((MonitorState.Critical, MonitorReason.NoData), (silent.ToState, silent.Reason));
        Assert.Contains("No agent spans for 10 minutes", AlertEvent.FromJson((await (await host.Db()).AlertOutbox.SingleAsync()).Payload).Summary);

        await IngestAsync(host, [new S(time.GetUtcNow().AddMinutes(-1), Kind: "agent")]);
        Assert.Equal(MonitorState.Ok, Assert.Single((await evaluator.EvaluateAsync()).Changes).ToState);
    }

    [Fact]
    public async Task The_scheduler_evaluates_every_interval_on_the_injected_clock()
    {
        var (host, time) = await AlertingHost.StartAsync();
        await using var _h = host;
        await CreateAsync(host, ErrorRate());
        var scheduler = host.Get<MonitorScheduler>();
        var evaluations = 0;
        var evaluated = new SemaphoreSlim(0);
        scheduler.Evaluated += _ => { Interlocked.Increment(ref evaluations); evaluated.Release(); };
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            time.Advance(TimeSpan.FromSeconds(59));
            Assert.False(await evaluated.WaitAsync(200));
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await evaluated.WaitAsync(TimeSpan.FromSeconds(10)));
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await evaluated.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(2, evaluations);
            await using var db = await host.Db();
            Assert.Equal(UnixMicros(time.GetUtcNow()), (await db.Monitors.SingleAsync()).LastEvaluatedAtUs);
        }
        finally { await scheduler.StopAsync(CancellationToken.None); }
    }

    [Fact]
    public async Task Samples_older_than_the_retention_are_pruned()
    {
        var (host, time) = await AlertingHost.StartAsync(new() { ["Vigil:Alerting:SampleRetentionHours"] = "1" });
        await using var _h = host;
        await CreateAsync(host, ErrorRate());
        var evaluator = host.Get<MonitorEvaluator>();
        for (var i = 0; i < 5; i++)
        {
            await evaluator.EvaluateAsync();
            time.Advance(TimeSpan.FromMinutes(20));
        }
        await using var db = await host.Db();
        // Evaluated at 0, 20, 40, 60 and 80 minutes; at 80 what is older than an hour (the sample at 0) goes.
        Assert.Equal(4, await db.MonitorSamples.CountAsync());
    }

    private static long UnixMicros(DateTimeOffset t) => Vigil.Core.Storage.UnixMicros.From(t);
}
