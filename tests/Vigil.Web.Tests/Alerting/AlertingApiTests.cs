using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Alerting;

/// <summary>The /v1/channels and /v1/monitors contract: shapes, validation naming fields, write-only URLs, project scope.</summary>
public sealed class AlertingApiTests(AlertingWebFactory factory) : IClassFixture<AlertingWebFactory>
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.JsonAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task A_channel_shows_its_secret_once_and_its_url_never()
    {
        const string url = "https://hooks.slack.test/services/T01/B02/VERYSECRETTOKEN";
        var created = await factory.Admin().PostAsJsonAsync("/v1/channels", new
        {
            project_id = VigilWebFactory.ProjectId, name = "Ops webhook", type = "webhook", url, severities = new[] { "critical" }, sources = new[] { "drift", "monitor" },
        });
        var body = await ProblemAsync(created, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetInt64();
        Assert.StartsWith("whsec_", body.GetProperty("secret").GetString());
        Assert.Equal("https://hooks.slack.test", body.GetProperty("url_hint").GetString());
        Assert.Equal(["critical"], body.GetProperty("severities").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["drift", "monitor"], body.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal($"/v1/channels/{id}", created.Headers.Location?.OriginalString);

        foreach (var path in new[] { $"/v1/channels/{id}", "/v1/channels", $"/v1/channels?project_id={VigilWebFactory.ProjectId}" })
        {
            var text = await factory.Admin().GetStringAsync(path);
            Assert.DoesNotContain("VERYSECRETTOKEN", text);
            Assert.DoesNotContain("whsec_", text);
            Assert.DoesNotContain("\"secret\"", text);
        }

        // PUT changes what it names and keeps the rest (the URL too, unless a new one is given).
        var put = await factory.Admin().PutAsJsonAsync($"/v1/channels/{id}", new { name = "Renamed", severities = Array.Empty<string>() });
        var updated = await ProblemAsync(put, HttpStatusCode.OK);
        Assert.Equal("Renamed", updated.GetProperty("name").GetString());
        Assert.Equal(["warning", "critical"], updated.GetProperty("severities").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("https://hooks.slack.test", updated.GetProperty("url_hint").GetString());
        var typeChange = await ProblemAsync(await factory.Admin().PutAsJsonAsync($"/v1/channels/{id}", new { type = "slack" }), HttpStatusCode.BadRequest);
        Assert.True(typeChange.GetProperty("errors").TryGetProperty("type", out _));

        var test = await factory.Admin().PostAsync($"/v1/channels/{id}/test", null);
        var accepted = await ProblemAsync(test, HttpStatusCode.Accepted);
        Assert.Equal($"/v1/channels/{id}/deliveries", accepted.GetProperty("deliveries").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await factory.Admin().DeleteAsync($"/v1/channels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Admin().GetAsync($"/v1/channels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Admin().GetAsync($"/v1/channels/{id}/deliveries")).StatusCode);
    }

    [Fact]
    public async Task Channel_errors_name_their_fields()
    {
        var bad = await ProblemAsync(await factory.Admin().PostAsJsonAsync("/v1/channels", new { name = "", type = "pager", url = "not a url", severities = new[] { "urgent" } }),
            HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["name", "project_id", "severities", "type", "url"], errors);
        var missing = await factory.Admin().PostAsJsonAsync("/v1/channels", new { project_id = "no-such-project", name = "x", type = "slack", url = "https://hooks.slack.test/x" });
        await ProblemAsync(missing, HttpStatusCode.NotFound);
        // Channels are for admins: a project key cannot read or add them.
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientWithKey().GetAsync("/v1/channels")).StatusCode);
    }

    [Fact]
    public async Task Monitors_follow_the_contract_and_their_project()
    {
        var key = factory.ClientWithKey();
        var created = await key.PostAsJsonAsync("/v1/monitors", new
        {
            project_id = VigilWebFactory.ProjectId, name = "p95 of chat", metric = "latency_p95", window_minutes = 30, warning = 2000, critical = 5000,
            direction = "above", span_kind = "llm", span_name = "chat", model = "gpt-4o",
        });
        var m = await ProblemAsync(created, HttpStatusCode.Created);
        var id = m.GetProperty("id").GetInt64();
        foreach (var field in new[] { "id", "project_id", "name", "metric", "window_minutes", "warning", "critical", "direction", "span_kind", "span_name",
                     "model", "hysteresis", "state", "last_value", "silenced_until", "created_at" })
            Assert.True(m.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal(("ok", 2), (m.GetProperty("state").GetString(), m.GetProperty("hysteresis").GetInt32()));

        // Another project's key: the monitor does not exist for it, and it cannot name this project.
        var other = factory.ClientWithKey(await factory.CreateProjectAsync("monitor-other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/monitors/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/v1/monitors/{id}")).StatusCode);
        Assert.Equal(0, (await (await other.GetAsync("/v1/monitors")).JsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/v1/monitors", new
        {
            project_id = VigilWebFactory.ProjectId, name = "x", metric = "error_rate", window_minutes = 5, critical = 0.5, direction = "above",
        })).StatusCode);

        var silenced = await ProblemAsync(await key.PostAsJsonAsync($"/v1/monitors/{id}/silence", new { minutes = 90 }), HttpStatusCode.OK);
        var until = silenced.GetProperty("silenced_until").GetDateTime();
        Assert.InRange(until - DateTime.UtcNow, TimeSpan.FromMinutes(89), TimeSpan.FromMinutes(91));
        var lifted = await ProblemAsync(await key.PostAsJsonAsync($"/v1/monitors/{id}/silence", new { minutes = 0 }), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, lifted.GetProperty("silenced_until").ValueKind);

        var put = await ProblemAsync(await key.PutAsJsonAsync($"/v1/monitors/{id}", new
        {
            name = "p99 of chat", metric = "latency_p99", window_minutes = 60, critical = 8000, direction = "above",
        }), HttpStatusCode.OK);
        Assert.Equal(("latency_p99", 60, JsonValueKind.Null), (put.GetProperty("metric").GetString(), put.GetProperty("window_minutes").GetInt32(), put.GetProperty("span_kind").ValueKind));
        Assert.Equal(HttpStatusCode.NoContent, (await key.DeleteAsync($"/v1/monitors/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await key.GetAsync($"/v1/monitors/{id}")).StatusCode);
    }

    [Fact]
    public async Task Monitor_errors_name_their_fields_and_score_avg_takes_a_score_name()
    {
        var key = factory.ClientWithKey();
        var bad = await ProblemAsync(await key.PostAsJsonAsync("/v1/monitors", new
        {
            name = "x", metric = "error_rate", window_minutes = 2, warning = 0.5, critical = 2, direction = "sideways", span_kind = "robot", no_data_minutes = 5,
            score_name = "helpfulness",
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["critical", "direction", "no_data_minutes", "score_name", "span_kind", "window_minutes"],
            bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        var nameless = await ProblemAsync(await key.PostAsJsonAsync("/v1/monitors", new
        {
            name = "quality", metric = "score_avg", window_minutes = 60, warning = 0.8, direction = "below",
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["score_name"], nameless.GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var created = await key.PostAsJsonAsync("/v1/monitors", new
        {
            name = "quality", metric = "score_avg", window_minutes = 60, warning = 0.8, critical = 0.5, direction = "below", score_name = "helpfulness",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("score_avg", "helpfulness"), (view.GetProperty("metric").GetString(), view.GetProperty("score_name").GetString()));

        var admin = await ProblemAsync(await factory.Admin().PostAsJsonAsync("/v1/monitors", new
        {
            name = "x", metric = "span_count", window_minutes = 60, direction = "below", no_data_minutes = 10,
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["project_id"], admin.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}
