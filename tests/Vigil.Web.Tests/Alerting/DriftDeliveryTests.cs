using Vigil.Tests.Fakes;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Storage;
using Vigil.Web.Tests.Drift;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Alerting;

/// <summary>
/// The second "done when": a drift alert (seeded like the drift tests) reaches a channel that filters on high
/// severity, and not one that takes only monitors (nor one that takes only warnings); its resolution follows.
/// </summary>
public sealed class DriftDeliveryTests(AlertingWebFactory factory) : IClassFixture<AlertingWebFactory>, IAsyncLifetime
{
    private AlertReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<(long Id, string Secret)> ChannelAsync(string project, string path, object filters)
    {
        var body = new Dictionary<string, object?> { ["project_id"] = project, ["name"] = path, ["type"] = ChannelType.Webhook, ["url"] = _receiver.Url + path };
        foreach (var p in filters.GetType().GetProperties()) body[p.Name] = p.GetValue(filters);
        var response = await factory.Admin().PostAsJsonAsync("/v1/channels", body);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return (json.GetProperty("id").GetInt64(), json.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task A_high_drift_alert_reaches_the_high_severity_channel_only()
    {
        const string project = "drift-channels";
        var key = factory.ClientWithKey(await factory.CreateProjectAsync(project));
        var (highId, highSecret) = await ChannelAsync(project, "/high", new { severities = new[] { "high" } });
        var (monitorsId, _) = await ChannelAsync(project, "/monitors-only", new { sources = new[] { "monitor" } });
        var (warningsId, _) = await ChannelAsync(project, "/warnings-only", new { severities = new[] { "warning" } });
        var highView = await (await factory.Admin().GetAsync($"/v1/channels/{highId}")).JsonAsync();
        Assert.Equal(["critical"], highView.GetProperty("severities").EnumerateArray().Select(s => s.GetString()));

        Assert.Equal(HttpStatusCode.Created, (await key.PostTracesAsync(DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm", "tool"], ["llm"]))).StatusCode);
        var run = await (await key.PostAsync("/v1/drift/run", null)).JsonAsync();
        var alert = Assert.Single(run.GetProperty("alerts").EnumerateArray());
        Assert.Equal("high", alert.GetProperty("severity").GetString());
        var alertId = alert.GetProperty("id").GetInt64();

        var received = await _receiver.WaitAsync(r => r.Count >= 1, what: "the drift alert");
        await factory.Get<DeliverySender>().RunOnceAsync(); // a whole pass more: anything else due has been sent now
        var hook = Assert.Single(_receiver.Requests);
        Assert.Equal("/high", hook.Path);
        Assert.True(WebhookSignature.Verify(highSecret, hook.Header(WebhookSignature.Header), hook.Body, out _));
        var body = hook.Json;
        Assert.Equal("drift", body.GetProperty("source").GetString());
        Assert.Equal("fired", body.GetProperty("state").GetString());
        Assert.Equal("high", body.GetProperty("severity").GetString());
        Assert.Equal("critical", body.GetProperty("level").GetString());
        Assert.Equal("latency", body.GetProperty("metric").GetString());
        Assert.Equal(alertId, body.GetProperty("drift").GetProperty("alert_id").GetInt64());
        Assert.Equal(alert.GetProperty("psi_score").GetDouble(), body.GetProperty("drift").GetProperty("psi_score").GetDouble(), 6);
        Assert.Equal(project, body.GetProperty("project").GetProperty("id").GetString());
        Assert.Equal(0.2, body.GetProperty("thresholds").GetProperty("critical").GetDouble());
        Assert.StartsWith("https://vigil.example.test/alerts?project=drift-channels", body.GetProperty("dashboard_url").GetString());

        // The channels that do not take it have no delivery at all (not a failed one).
        await using (var db = await factory.Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(0, await db.AlertDeliveries.CountAsync(d => d.ChannelId == monitorsId || d.ChannelId == warningsId));
            Assert.Equal(1, await db.AlertOutbox.CountAsync(o => o.ProjectId == project && o.Source == "drift"));
        }

        // A user resolves it: the resolution is queued in that same change and reaches the same channel.
        Assert.Equal(HttpStatusCode.OK, (await key.PatchAsync($"/v1/drift/alerts/{alertId}/resolve", null)).StatusCode);
        await _receiver.WaitAsync(r => r.Count >= 2, what: "the resolution");
        var resolved = _receiver.At("/high")[1].Json;
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal(alertId, resolved.GetProperty("drift").GetProperty("alert_id").GetInt64());
        Assert.Empty(_receiver.At("/monitors-only"));
        Assert.Empty(_receiver.At("/warnings-only"));
        _ = received;
    }
}
