using Microsoft.EntityFrameworkCore;
using Vigil.Core.Alerting;
using Vigil.Core.Drift;
using Vigil.Core.Tests.Drift;

namespace Vigil.Core.Tests.Alerting;

/// <summary>Drift detection queues every alert state change (fired, escalated, resolved) in the transaction that stores it.</summary>
public class DriftOutboxTests
{
    private static readonly string[] Kinds = ["llm", "tool", "retriever"];

    private static async Task<List<AlertEvent>> OutboxAsync(CoreTestHost host)
    {
        await using var db = await host.Db();
        return (await db.AlertOutbox.OrderBy(o => o.Id).ToListAsync()).Select(o => AlertEvent.FromJson(o.Payload)).ToList();
    }

    [Fact]
    public async Task An_opened_alert_is_queued_as_fired_once()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, Kinds, slowKinds: ["llm"]));
        var detector = host.Get<DriftDetector>();

        var alert = Assert.Single((await detector.RunAsync("p1"))!.Opened);
        await detector.RunAsync("p1"); // still high: updated, nothing new to say

        var e = Assert.Single(await OutboxAsync(host));
        Assert.Equal(("drift", "fired", "fired", "high", "critical"), (e.Source, e.State, e.Change, e.Severity, e.Level));
        Assert.Equal(alert.Id, e.Drift!.AlertId);
        Assert.Equal(alert.PsiScore, e.Drift.PsiScore);
    }

    [Fact]
    public async Task Escalation_and_resolution_are_queued_and_a_user_resolve_too()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, Kinds, slowKinds: ["llm"]));
        long llmId, toolId;
        await using (var db = await host.Db())
        {
            // Open before this run: llm latency at medium (now high: escalates), tool latency at high (now steady: resolves).
            var llm = new DriftAlert { ProjectId = "p1", SpanKind = "llm", Metric = "latency", Severity = "medium", PsiScore = 0.15 };
            var tool = new DriftAlert { ProjectId = "p1", SpanKind = "tool", Metric = "latency", Severity = "high", PsiScore = 0.9 };
            db.DriftAlerts.AddRange(llm, tool);
            await db.SaveChangesAsync();
            (llmId, toolId) = (llm.Id, tool.Id);
        }

        await host.Get<DriftDetector>().RunAsync("p1");

        var queued = await OutboxAsync(host);
        Assert.Equal(2, queued.Count);
        var escalated = queued.Single(e => e.Change == "escalated");
        Assert.Equal((llmId, "high", "fired"), (escalated.Drift!.AlertId, escalated.Severity, escalated.State));
        var resolved = queued.Single(e => e.Change == "resolved");
        Assert.Equal((toolId, "resolved"), (resolved.Drift!.AlertId, resolved.State));

        await host.Get<DriftAlertService>().ResolveAsync("p1", llmId);
        await host.Get<DriftAlertService>().ResolveAsync("p1", llmId); // already resolved: nothing more
        var last = (await OutboxAsync(host)).Skip(2).Single();
        Assert.Equal(("resolved", llmId), (last.Change, last.Drift!.AlertId));
    }
}
