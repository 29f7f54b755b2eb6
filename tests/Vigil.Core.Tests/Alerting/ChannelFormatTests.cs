using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Drift;

namespace Vigil.Core.Tests.Alerting;

public class ChannelFormatTests
{
    private static readonly AlertEvent Monitor = new()
    {
        Source = AlertSource.Monitor, State = "warning", PreviousState = "ok", Change = "fired", Severity = "warning",
        Title = "Monitor '<!channel> & co' is warning", Summary = "error rate of spans: 12 %", ProjectId = "p1", Metric = "error_rate",
        Value = 0.12, Thresholds = new AlertThresholds(0.1, 0.3, "above"), Path = "/alerts", OccurredAtUs = 1_700_000_000_000_000,
    };

    private static readonly ChannelFormats.Context Context = new("evt_1-7", new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), "Project one",
        "https://vigil.example.test/alerts?project=p1", "whsec_test");

    [Fact]
    public void The_webhook_signature_is_hmac_sha256_of_t_dot_body_in_hex()
    {
        var message = ChannelFormats.Build(ChannelType.Webhook, Monitor, Context);
        var header = message.Headers.Single(h => h.Key == WebhookSignature.Header).Value;
        var t = Context.Now.ToUnixTimeSeconds();
        // Recomputed independently of WebhookSignature.
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{t}."), .. message.Body];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_test"), signed));
        Assert.Equal($"t={t},v1={expected}", header);
        Assert.True(WebhookSignature.Verify("whsec_test", header, message.Body, out var parsed));
        Assert.Equal(t, parsed);
        Assert.False(WebhookSignature.Verify("whsec_test", header, [.. message.Body, (byte)' '], out _));
        Assert.False(WebhookSignature.Verify("whsec_test", $"t={t + 1},v1={expected}", message.Body, out _));
        Assert.False(WebhookSignature.Verify("whsec_test", "garbage", message.Body, out _));
        Assert.Equal("evt_1-7", message.Headers.Single(h => h.Key == "Idempotency-Key").Value);
    }

    [Fact]
    public void The_webhook_body_carries_the_contracts_fields()
    {
        using var doc = JsonDocument.Parse(ChannelFormats.Build(ChannelType.Webhook, Monitor, Context).Body);
        var b = doc.RootElement;
        foreach (var field in new[] { "source", "state", "severity", "metric", "value", "thresholds", "project", "dashboard_url", "idempotency_key", "timestamp" })
            Assert.True(b.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal("evt_1-7", b.GetProperty("idempotency_key").GetString());
        Assert.Equal("2026-03-02T09:00:00.0000000Z", b.GetProperty("timestamp").GetString());
        Assert.Equal("Project one", b.GetProperty("project").GetProperty("name").GetString());
    }

    [Fact]
    public void Slack_text_is_escaped_and_unsigned()
    {
        var message = ChannelFormats.Build(ChannelType.Slack, Monitor, Context);
        Assert.DoesNotContain(message.Headers, h => h.Key == WebhookSignature.Header);
        using var doc = JsonDocument.Parse(message.Body);
        var section = doc.RootElement.GetProperty("blocks")[1];
        // User text cannot ping a channel or inject a link.
        Assert.DoesNotContain("<!channel>", section.GetProperty("text").GetProperty("text").GetString());
        var header = doc.RootElement.GetProperty("blocks")[0].GetProperty("text");
        Assert.Equal("plain_text", header.GetProperty("type").GetString());
        Assert.Contains(section.GetProperty("fields").EnumerateArray(), f => f.GetProperty("text").GetString() == "*Thresholds*\nwarning above 10 %, critical above 30 %");
    }

    [Fact]
    public void Without_an_absolute_dashboard_address_no_button_is_sent()
    {
        var relative = Context with { Link = "/alerts?project=p1" };
        using var slack = JsonDocument.Parse(ChannelFormats.Build(ChannelType.Slack, Monitor, relative).Body);
        Assert.DoesNotContain(slack.RootElement.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
        using var teams = JsonDocument.Parse(ChannelFormats.Build(ChannelType.Teams, Monitor, relative).Body);
        Assert.False(teams.RootElement.GetProperty("attachments")[0].GetProperty("content").TryGetProperty("actions", out _));
    }

    [Fact]
    public void Drift_events_read_as_fired_escalated_and_resolved_with_psi_levels()
    {
        var alert = new DriftAlert { Id = 9, ProjectId = "p1", SpanKind = "llm", Metric = "latency", Severity = "high", PsiScore = 0.4, BaselineValue = 100, CurrentValue = 300 };
        var fired = DriftAlertEvents.From(alert, "fired", 1);
        var escalated = DriftAlertEvents.From(alert, "escalated", 1);
        var resolved = DriftAlertEvents.From(alert, "resolved", 1);
        Assert.Equal(("fired", "critical"), (fired.State, fired.Level));
        Assert.Equal(("fired", "fired", "escalated"), (escalated.State, escalated.PreviousState, escalated.Change));
        Assert.Equal("resolved", resolved.State);
        Assert.Equal(new AlertThresholds(0.1, 0.2, "above", "psi"), fired.Thresholds);
        Assert.Equal(9, fired.Drift!.AlertId);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    public void Only_transient_failures_are_retried(int? status, bool transient) => Assert.Equal(transient, RetryPolicy.IsTransient(status));

    [Fact]
    public void Retry_after_as_seconds_or_a_date_is_capped_by_the_maximum()
    {
        var o = new AlertingOptions { RetryBaseSeconds = 10, RetryMaxSeconds = 300 };
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)), now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryPolicy.RetryAfter(new RetryConditionHeaderValue(now.AddSeconds(90)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.Delay(3, TimeSpan.FromSeconds(30), o));
        Assert.Equal(TimeSpan.FromSeconds(300), RetryPolicy.Delay(1, TimeSpan.FromHours(2), o));
        Assert.Equal(TimeSpan.FromSeconds(40), RetryPolicy.Delay(3, null, o));
        Assert.Equal(TimeSpan.FromSeconds(300), RetryPolicy.Delay(60, null, o));
    }

    [Fact]
    public void Channel_filters_take_either_severity_scale()
    {
        var input = new ChannelInput("c", ChannelType.Webhook, "https://x.test/h", ["high", "medium"], ["monitor"]);
        Assert.Empty(input.Validate(create: true));
        Assert.Null(ChannelInput.SeverityCsv(input.Severities!)); // both levels: all
        Assert.Equal("critical", ChannelInput.SeverityCsv(["high"]));
        var channel = new AlertChannel { ProjectId = "p1", Name = "c", Type = "webhook", UrlProtected = "", UrlHint = "", Severities = "critical", Sources = "drift" };
        Assert.True(channel.Accepts("drift", "high"));
        Assert.False(channel.Accepts("drift", "medium"));
        Assert.False(channel.Accepts("monitor", "critical"));
        Assert.True(channel.Accepts("test", "warning"));
        var errors = new ChannelInput("", "email", "ftp://x", ["severe"], ["logs"]).Validate(create: true);
        Assert.Equal(["name", "severities", "sources", "type", "url"], errors.Keys.Order());
    }
}
