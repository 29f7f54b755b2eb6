using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Web.Tests.Drift;

namespace Vigil.Tests.Cluster;

/// <summary>Work that must happen once per cluster: replays claimed from the database queue, drift runs serialized.</summary>
public class BackgroundWorkTests(ClusterFixture f) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_replay_confirmed_on_A_runs_exactly_once_with_its_progress_seen_on_B()
    {
        var trace = "replay-" + Guid.NewGuid().ToString("N");
        using var a = f.A.Client();
        using var b = f.B.Client();
        Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync(Http.LlmTrace(trace, 3))).StatusCode);
        await using var hub = await HubClient.ConnectAsync(f.B.BaseAddress);
        var estimate = await (await a.PostAsync($"/v1/traces/{trace}/replay", Http.Json("""{"mutations":{}}"""))).JsonAsync();
        var runId = estimate.GetProperty("replay_run_id").GetString()!;
        var callsBefore = f.Fake.OpenAiRequests.Count();

        Assert.Equal(HttpStatusCode.OK, (await a.PostAsync($"/v1/traces/{trace}/replay/{runId}/confirm", null)).StatusCode);
        JsonElement run = default;
        await Http.UntilAsync(async () =>
        {
            run = await b.GetJsonAsync($"/v1/traces/{trace}/replay/{runId}");
            return run.GetProperty("status").GetString() is "completed" or "failed";
        }, TimeSpan.FromSeconds(30), "the replay finishing, read on B");

        Assert.Equal("completed", run.GetProperty("status").GetString());
        // Progress on B: every span's step, then the end, whichever instance ran it.
        await Http.UntilAsync(() => Task.FromResult(Statuses(hub, runId).Contains("completed")), TimeSpan.FromSeconds(10), "the final status on B's hub");
        var progress = hub.Events.Where(e => e.Type == "replay_status" && e.Payload.GetProperty("replay_run_id").GetString() == runId)
            .Select(e => e.Payload.GetProperty("completed_spans").GetInt32()).ToList();
        Assert.Equal([0, 0, 0, 1, 2, 3, 3], progress);
        Assert.Equal(["estimating", "confirmed", "running", "running", "running", "running", "completed"], Statuses(hub, runId));

        // Exactly once: three provider calls, one result trace, one claim.
        await Task.Delay(1500);
        Assert.Equal(3, f.Fake.OpenAiRequests.Count() - callsBefore);
        await using var db = await f.A.Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Traces.CountAsync(t => t.ReplayOf == trace));
        var stored = await db.ReplayRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal((1, null, null), (stored.Attempts, stored.LeaseOwner, stored.LeaseExpiresAtUs));
    }

    [Fact]
    public async Task Drift_detection_triggered_on_both_instances_at_once_stores_one_alert()
    {
        using var admin = f.A.Client(ClusterNode.AdminApiKey);
        var project = "drift-" + Guid.NewGuid().ToString("N")[..8];
        var key = (await (await admin.PostAsync("/v1/projects", Http.Json($$"""{"id":"{{project}}"}"""))).JsonAsync()).GetProperty("api_key").GetString()!;
        using var a = f.A.Client(key);
        using var b = f.B.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync(DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm", "tool"], ["llm"]))).StatusCode);

        var runs = await Task.WhenAll(a.PostAsync("/v1/drift/run", null), b.PostAsync("/v1/drift/run", null));
        Assert.All(runs, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var alerts = await b.GetJsonAsync("/v1/drift/alerts?include_resolved=true");
        var alert = Assert.Single(alerts.GetProperty("alerts").EnumerateArray());
        Assert.Equal(("llm", "latency"), (alert.GetProperty("span_kind").GetString(), alert.GetProperty("metric_name").GetString()));
        // One notification too: the second run found the alert open and updated it.
        var notifications = await a.GetJsonAsync("/v1/notifications");
        Assert.Single(Items(notifications), n => n.GetProperty("type").GetString() == "drift_alert");
    }

    private static List<string> Statuses(HubClient hub, string runId) =>
        hub.Events.Where(e => e.Type == "replay_status" && e.Payload.GetProperty("replay_run_id").GetString() == runId)
            .Select(e => e.Payload.GetProperty("status").GetString()!).ToList();

    private static IEnumerable<JsonElement> Items(JsonElement list) => list.GetProperty("notifications").EnumerateArray();
}
