using Vigil.Tests.Fakes;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Alerting.Monitors;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Alerting;

/// <summary>
/// The first "done when": a monitor on error rate fires when error spans are ingested; a real local receiver gets
/// one signed webhook, one Slack and one Teams post; when errors stop it resolves and the resolution is delivered too.
/// </summary>
public sealed class MonitorDeliveryTests(AlertingWebFactory factory) : IClassFixture<AlertingWebFactory>, IAsyncLifetime
{
    private AlertReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<(long Id, string? Secret)> CreateChannelAsync(string type, string path, object? filters = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["project_id"] = VigilWebFactory.ProjectId, ["name"] = $"{type} {path}", ["type"] = type, ["url"] = _receiver.Url + path,
        };
        if (filters is not null) foreach (var p in filters.GetType().GetProperties()) body[p.Name] = p.GetValue(filters);
        var response = await factory.Admin().PostAsJsonAsync("/v1/channels", body);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return (json.GetProperty("id").GetInt64(), json.TryGetProperty("secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null);
    }

    private async Task EvaluateAsync(int times = 1)
    {
        for (var i = 0; i < times; i++) await factory.Get<MonitorEvaluator>().EvaluateAsync();
    }

    [Fact]
    public async Task An_error_rate_monitor_fires_to_webhook_slack_and_teams_and_resolves()
    {
        var (webhookId, secret) = await CreateChannelAsync(ChannelType.Webhook, "/hook");
        var (slackId, slackSecret) = await CreateChannelAsync(ChannelType.Slack, "/slack");
        var (teamsId, _) = await CreateChannelAsync(ChannelType.Teams, "/teams");
        Assert.NotNull(secret);
        Assert.StartsWith(WebhookSignature.SecretPrefix, secret);
        Assert.Null(slackSecret);

        var key = factory.ClientWithKey();
        var created = await key.PostAsJsonAsync("/v1/monitors", new
        {
            project_id = VigilWebFactory.ProjectId, name = "LLM errors", metric = "error_rate", window_minutes = 15,
            warning = 0.1, critical = 0.3, direction = "above", span_kind = "llm",
        });
        var monitor = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, monitor.ToString());
        Assert.Equal(2, monitor.GetProperty("hysteresis").GetInt32());
        var monitorId = monitor.GetProperty("id").GetInt64();

        // Healthy traffic: two evaluations, still ok, nothing sent.
        Assert.Equal(HttpStatusCode.Created, (await key.PostTracesAsync(AlertSpans.Batch(ok: 10, errors: 0))).StatusCode);
        await EvaluateAsync(2);
        // Errors arrive: half the llm spans fail. The first evaluation only makes "critical" pending (hysteresis 2).
        Assert.Equal(HttpStatusCode.Created, (await key.PostTracesAsync(AlertSpans.Batch(ok: 0, errors: 10))).StatusCode);
        await EvaluateAsync();
        Assert.Equal(MonitorState.Ok, (await factory.Get<MonitorService>().GetAsync(null, monitorId))!.State);
        await EvaluateAsync();
        Assert.Equal(MonitorState.Critical, (await factory.Get<MonitorService>().GetAsync(null, monitorId))!.State);

        var fired = await _receiver.WaitAsync(r => r.Count >= 3, what: "three posts");
        await Task.Delay(300); // nothing more arrives
        Assert.Equal(3, _receiver.Requests.Count);
        var hook = Assert.Single(_receiver.At("/hook"));
        var slack = Assert.Single(_receiver.At("/slack"));
        var teams = Assert.Single(_receiver.At("/teams"));

        // The webhook: signed with the channel's secret over "t.body", and the contract's fields.
        Assert.True(WebhookSignature.Verify(secret!, hook.Header(WebhookSignature.Header), hook.Body, out var t), hook.Header(WebhookSignature.Header));
        Assert.InRange(t, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.False(WebhookSignature.Verify("whsec_wrong", hook.Header(WebhookSignature.Header), hook.Body, out _));
        var body = hook.Json;
        Assert.Equal("monitor", body.GetProperty("source").GetString());
        Assert.Equal("critical", body.GetProperty("state").GetString());
        Assert.Equal("ok", body.GetProperty("previous_state").GetString());
        Assert.Equal("critical", body.GetProperty("severity").GetString());
        Assert.Equal("error_rate", body.GetProperty("metric").GetString());
        Assert.Equal(0.5, body.GetProperty("value").GetDouble(), 3);
        Assert.Equal(0.1, body.GetProperty("thresholds").GetProperty("warning").GetDouble());
        Assert.Equal(0.3, body.GetProperty("thresholds").GetProperty("critical").GetDouble());
        Assert.Equal("above", body.GetProperty("thresholds").GetProperty("direction").GetString());
        Assert.Equal(VigilWebFactory.ProjectId, body.GetProperty("project").GetProperty("id").GetString());
        Assert.Equal($"https://vigil.example.test/alerts?project={VigilWebFactory.ProjectId}", body.GetProperty("dashboard_url").GetString());
        Assert.Equal(monitorId, body.GetProperty("monitor").GetProperty("id").GetInt64());
        var hookKey = body.GetProperty("idempotency_key").GetString();
        Assert.False(string.IsNullOrEmpty(hookKey));
        Assert.Equal(hookKey, hook.Header("Idempotency-Key"));
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("timestamp").GetString(), out _));

        // Slack: Block Kit with a header, the fields and a button to the dashboard; no signature header.
        Assert.Null(slack.Header(WebhookSignature.Header));
        var blocks = slack.Json.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Contains("LLM errors", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var fields = blocks[1].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Contains(fields, f => f!.StartsWith("*Severity*") && f.Contains("critical"));
        Assert.Contains(fields, f => f!.StartsWith("*Value*") && f.Contains("50 %"));
        var button = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements")[0];
        Assert.StartsWith("https://vigil.example.test/alerts", button.GetProperty("url").GetString());
        Assert.False(string.IsNullOrEmpty(slack.Json.GetProperty("text").GetString()));

        // Teams: a message with one Adaptive Card.
        var attachment = teams.Json.GetProperty("attachments")[0];
        Assert.Equal("message", teams.Json.GetProperty("type").GetString());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Contains(card.GetProperty("body").EnumerateArray(), b => b.GetProperty("type").GetString() == "FactSet");
        Assert.Equal("Action.OpenUrl", card.GetProperty("actions")[0].GetProperty("type").GetString());

        // Each channel's key is its own, and stable: it is the delivery's.
        Assert.Equal(3, new[] { hookKey, slack.Header("Idempotency-Key"), teams.Header("Idempotency-Key") }.Distinct().Count());

        // Errors stop: healthy spans push the rate under the warning level; two evaluations resolve it.
        Assert.Equal(HttpStatusCode.Created, (await key.PostTracesAsync(AlertSpans.Batch(ok: 150, errors: 0))).StatusCode);
        await EvaluateAsync(2);
        Assert.Equal(MonitorState.Ok, (await factory.Get<MonitorService>().GetAsync(null, monitorId))!.State);
        await _receiver.WaitAsync(r => r.Count >= 6, what: "three resolutions");
        foreach (var path in new[] { "/hook", "/slack", "/teams" }) Assert.Equal(2, _receiver.At(path).Count);
        var resolved = _receiver.At("/hook")[1];
        Assert.True(WebhookSignature.Verify(secret!, resolved.Header(WebhookSignature.Header), resolved.Body, out _));
        Assert.Equal("ok", resolved.Json.GetProperty("state").GetString());
        Assert.Equal("critical", resolved.Json.GetProperty("previous_state").GetString());
        Assert.Equal("resolved", resolved.Json.GetProperty("change").GetString());
        Assert.NotEqual(hookKey, resolved.Json.GetProperty("idempotency_key").GetString());

        // The state changes are the monitor's history, each with its value.
        var history = await (await key.GetAsync($"/v1/monitors/{monitorId}/history")).JsonAsync();
        var changes = history.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["ok", "critical"], changes.Select(c => c.GetProperty("to_state").GetString()));
        Assert.Equal(0.5, changes[1].GetProperty("value").GetDouble(), 3);

        // The delivery log shows each delivery's attempt with its status and latency (once the sender's pass has stored them).
        await factory.Get<DeliverySender>().RunOnceAsync();
        var log = await (await factory.Admin().GetAsync($"/v1/channels/{webhookId}/deliveries")).JsonAsync();
        var entries = log.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(200, e.GetProperty("status_code").GetInt32());
            Assert.Equal(1, e.GetProperty("attempt").GetInt32());
            Assert.Equal(DeliveryStatus.Delivered, e.GetProperty("delivery_status").GetString());
            Assert.True(e.GetProperty("latency_ms").GetDouble() >= 0);
        });
        Assert.Equal(["ok", "critical"], entries.Select(e => e.GetProperty("alert").GetProperty("state").GetString()));
        _ = slackId;
        _ = teamsId;
    }
}
