using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Drift;

public class DriftEndpointsTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    /// <summary>A fresh project per test (the factory's database is shared by the class), seeded with a slow llm hour.</summary>
    private async Task<HttpClient> SeededProjectAsync(string id)
    {
        var client = factory.ClientWithKey(await factory.CreateProjectAsync(id));
        var post = await client.PostTracesAsync(DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm", "tool"], ["llm"]));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        return client;
    }

    [Fact]
    public async Task Run_list_summary_and_resolve()
    {
        var client = await SeededProjectAsync("drift-flow");

        var run = await (await client.PostAsync("/v1/drift/run", null)).JsonAsync();
        var alert = Assert.Single(run.GetProperty("alerts").EnumerateArray());
        foreach (var field in new[] { "id", "project_id", "span_kind", "span_name", "model", "metric_name", "baseline_value", "current_value",
                     "psi_score", "severity", "resolved", "created_at", "baseline_start", "baseline_end", "current_start", "current_end",
                     "baseline_count", "current_count" })
            Assert.True(alert.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal("drift-flow", alert.GetProperty("project_id").GetString());
        Assert.Equal("llm", alert.GetProperty("span_kind").GetString());
        Assert.Equal("latency", alert.GetProperty("metric_name").GetString());
        Assert.Equal("high", alert.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("span_name").ValueKind);
        var id = alert.GetProperty("id").GetInt64();

        // A second run updates the open alert instead of duplicating it.
        var again = await (await client.PostAsync("/v1/drift/run", null)).JsonAsync();
        Assert.Equal(id, Assert.Single(again.GetProperty("alerts").EnumerateArray()).GetProperty("id").GetInt64());

        var list = await (await client.GetAsync("/v1/drift/alerts")).JsonAsync();
        Assert.Equal(1, list.GetProperty("alerts").GetArrayLength());

        var summary = await (await client.GetAsync("/v1/drift/summary")).JsonAsync();
        Assert.Equal(1, summary.GetProperty("total_alerts").GetInt32());
        Assert.Equal(1, summary.GetProperty("unresolved").GetInt32());
        Assert.Equal(1, summary.GetProperty("by_severity").GetProperty("high").GetInt32());
        Assert.Equal(0, summary.GetProperty("by_severity").GetProperty("medium").GetInt32());
        Assert.Equal(id, summary.GetProperty("recent_alerts")[0].GetProperty("id").GetInt64());

        var resolve = await client.PatchAsync($"/v1/drift/alerts/{id}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        Assert.True((await resolve.JsonAsync()).GetProperty("resolved").GetBoolean());
        Assert.Equal(0, (await (await client.GetAsync("/v1/drift/alerts")).JsonAsync()).GetProperty("alerts").GetArrayLength());
        Assert.Equal(1, (await (await client.GetAsync("/v1/drift/alerts?include_resolved=true")).JsonAsync()).GetProperty("alerts").GetArrayLength());
        Assert.Equal(0, (await (await client.GetAsync("/v1/drift/summary")).JsonAsync()).GetProperty("unresolved").GetInt32());
    }

    [Fact]
    public async Task Another_projects_key_sees_nothing_and_gets_404()
    {
        var owner = await SeededProjectAsync("drift-owner");
        var id = (await (await owner.PostAsync("/v1/drift/run", null)).JsonAsync()).GetProperty("alerts")[0].GetProperty("id").GetInt64();
        var notificationId = (await (await owner.GetAsync("/v1/notifications")).JsonAsync()).GetProperty("notifications")[0].GetProperty("id").GetInt64();
        var other = factory.ClientWithKey(await factory.CreateProjectAsync("drift-other"));

        Assert.Equal(0, (await (await other.GetAsync("/v1/drift/alerts?include_resolved=true")).JsonAsync()).GetProperty("alerts").GetArrayLength());
        Assert.Equal(0, (await (await other.GetAsync("/v1/drift/summary")).JsonAsync()).GetProperty("total_alerts").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsync($"/v1/drift/alerts/{id}/resolve", null)).StatusCode);
        Assert.Equal(0, (await (await other.PostAsync("/v1/drift/run", null)).JsonAsync()).GetProperty("alerts").GetArrayLength());
        Assert.Equal(0, (await (await other.GetAsync("/v1/notifications")).JsonAsync()).GetProperty("notifications").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsync($"/v1/notifications/{notificationId}/read", null)).StatusCode);
        Assert.Equal(0, (await (await other.PostAsync("/v1/notifications/read-all", null)).JsonAsync()).GetProperty("updated").GetInt32());
        // The owner's alert and notification are untouched.
        Assert.Equal(1, (await (await owner.GetAsync("/v1/drift/summary")).JsonAsync()).GetProperty("unresolved").GetInt32());
        Assert.Equal(1, (await (await owner.GetAsync("/v1/notifications/count")).JsonAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Notifications_are_created_by_a_run_and_can_be_read()
    {
        var client = await SeededProjectAsync("drift-notify");
        await client.PostAsync("/v1/drift/run", null);

        var list = await (await client.GetAsync("/v1/notifications")).JsonAsync();
        var n = Assert.Single(list.GetProperty("notifications").EnumerateArray());
        Assert.Equal("drift_alert", n.GetProperty("type").GetString());
        Assert.False(n.GetProperty("read").GetBoolean());
        Assert.Equal(1, list.GetProperty("unread_count").GetInt32());
        Assert.Equal(1, (await (await client.GetAsync("/v1/notifications/count")).JsonAsync()).GetProperty("count").GetInt32());

        var read = await client.PatchAsync($"/v1/notifications/{n.GetProperty("id").GetInt64()}/read", null);
        Assert.True((await read.JsonAsync()).GetProperty("read").GetBoolean());
        Assert.Equal(0, (await (await client.GetAsync("/v1/notifications/count")).JsonAsync()).GetProperty("count").GetInt32());
        Assert.Equal(0, (await (await client.PostAsync("/v1/notifications/read-all", null)).JsonAsync()).GetProperty("updated").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync("/v1/notifications/999999/read", null)).StatusCode);
    }

    [Fact]
    public async Task Without_a_key_drift_and_notifications_answer_401()
    {
        var anon = factory.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/v1/drift/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsync("/v1/drift/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/v1/notifications/count")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/v1/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_bucket_latency_percentiles_per_kind()
    {
        // Buckets are aligned to multiples of their width since the epoch: a current hour of 12:00-13:00 UTC sits in one 2 h bucket.
        var client = factory.ClientWithKey(await factory.CreateProjectAsync("drift-metrics"));
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(13), TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync(DriftSpans.SteadyWithSlowCurrent(now, ["llm", "tool"], ["llm"]))).StatusCode);
        var url = $"/v1/metrics?start_date={Uri.EscapeDataString(now.AddHours(-1).ToString("O"))}&end_date={Uri.EscapeDataString(now.AddMinutes(1).ToString("O"))}&bucket=2h";

        var body = await (await client.GetAsync(url)).JsonAsync();

        Assert.Equal(7200, body.GetProperty("bucket_seconds").GetInt32());
        var series = body.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!);
        Assert.Equal(["llm", "tool"], series.Keys.Order());
        var llm = Assert.Single(series["llm"].GetProperty("points").EnumerateArray());
        Assert.Equal(20, llm.GetProperty("span_count").GetInt32());
        Assert.Equal(327, llm.GetProperty("latency_p50_ms").GetDouble(), 327 * 0.01); // the rollups' sketch: within 1 %
        var tool = Assert.Single(series["tool"].GetProperty("points").EnumerateArray());
        Assert.Equal(109, tool.GetProperty("latency_p50_ms").GetDouble(), 109 * 0.01);
        Assert.Equal(0, tool.GetProperty("error_rate").GetDouble());

        var bad = await client.GetAsync("/v1/metrics?bucket=fortnight");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var tooMany = await client.GetAsync("/v1/metrics?bucket=1s");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var notMinutes = await client.GetAsync("/v1/metrics?bucket=90s");
        Assert.Equal(HttpStatusCode.BadRequest, notMinutes.StatusCode);
    }
}
