using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Channels;

/// <summary>
/// Renders an <see cref="AlertEvent"/> for a channel type: the signed JSON webhook, a Slack Block Kit message, a Teams
/// Adaptive Card. Every message names the severity, metric, value, thresholds, project and the dashboard link.
/// </summary>
public static class ChannelFormats
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public sealed record Context(string IdempotencyKey, DateTimeOffset Now, string ProjectName, string? Link, string? Secret);

    public static ChannelMessage Build(string channelType, AlertEvent e, Context c)
    {
        var body = channelType switch
        {
            ChannelType.Slack => Slack(e, c),
            ChannelType.Teams => Teams(e, c),
            _ => Webhook(e, c),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, AlertEvent.Json);
        var headers = new List<KeyValuePair<string, string>> { new(IdempotencyHeader, c.IdempotencyKey) };
        if (channelType == ChannelType.Webhook && c.Secret is not null)
            headers.Add(new(WebhookSignature.Header, WebhookSignature.HeaderValue(c.Secret, c.Now.ToUnixTimeSeconds(), bytes)));
        return new ChannelMessage(bytes, headers);
    }

    /// <summary>The webhook's JSON: the event's fields plus the idempotency key, a timestamp, the project and the link.</summary>
    internal static JsonObject Webhook(AlertEvent e, Context c)
    {
        var o = new JsonObject
        {
            ["idempotency_key"] = c.IdempotencyKey,
            ["timestamp"] = c.Now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["occurred_at"] = UnixMicros.ToDateTime(e.OccurredAtUs).ToString("O", CultureInfo.InvariantCulture),
            ["source"] = e.Source,
            ["state"] = e.State,
            ["previous_state"] = e.PreviousState,
            ["change"] = e.Change,
            ["severity"] = e.Severity,
            ["level"] = e.Level,
            ["title"] = e.Title,
            ["summary"] = e.Summary,
            ["project"] = new JsonObject { ["id"] = e.ProjectId, ["name"] = c.ProjectName },
            ["metric"] = e.Metric,
            ["value"] = e.Value,
            ["thresholds"] = e.Thresholds is null ? null : JsonSerializer.SerializeToNode(e.Thresholds, AlertEvent.Json),
            ["dashboard_url"] = c.Link,
        };
        if (e.Monitor is not null) o["monitor"] = JsonSerializer.SerializeToNode(e.Monitor, AlertEvent.Json);
        if (e.Drift is not null) o["drift"] = JsonSerializer.SerializeToNode(e.Drift, AlertEvent.Json);
        return o;
    }

    /// <summary>Slack incoming webhook: fallback text plus Block Kit (header, fields, link button, context).</summary>
    internal static JsonObject Slack(AlertEvent e, Context c)
    {
        var headline = $"{AlertText.Emoji(e)} {e.Title}";
        var fields = new JsonArray
        {
            Field("Severity", e.State is "ok" or "resolved" ? $"{e.Severity} → {e.State}" : e.Severity),
            Field("Metric", e.Metric ?? "–"),
            Field("Value", AlertText.Value(e.Metric, e.Value)),
            Field("Thresholds", AlertText.Thresholds(e.Metric, e.Thresholds)),
        };
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = Plain(Truncate(headline, 150)) },
            new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(Escape(e.Summary ?? e.Title)), ["fields"] = fields },
        };
        if (IsAbsolute(c.Link))
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray { new JsonObject { ["type"] = "button", ["text"] = Plain("Open in Vigil"), ["url"] = c.Link } },
            });
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { Mrkdwn(Escape($"Project {c.ProjectName} ({e.ProjectId}) · {e.Source} · {c.IdempotencyKey}")) },
        });
        return new JsonObject { ["text"] = Truncate(headline, 3000), ["blocks"] = blocks };

        static JsonObject Field(string name, string value) => Mrkdwn($"*{name}*\n{Escape(value)}");
    }

    /// <summary>Teams workflow webhook: a message with one Adaptive Card (title, summary, facts, link).</summary>
    internal static JsonObject Teams(AlertEvent e, Context c)
    {
        var color = e.State is "ok" or "resolved" ? "Good" : e.Level == AlertSeverity.Critical ? "Attention" : "Warning";
        var facts = new JsonArray
        {
            Fact("Severity", e.Severity), Fact("State", e.State), Fact("Metric", e.Metric ?? "–"),
            Fact("Value", AlertText.Value(e.Metric, e.Value)), Fact("Thresholds", AlertText.Thresholds(e.Metric, e.Thresholds)),
            Fact("Project", $"{c.ProjectName} ({e.ProjectId})"), Fact("Idempotency key", c.IdempotencyKey),
        };
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = $"{AlertText.Emoji(e)} {e.Title}", ["weight"] = "Bolder", ["size"] = "Medium", ["color"] = color, ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = e.Summary ?? "", ["wrap"] = true },
                new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
            },
        };
        if (IsAbsolute(c.Link))
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in Vigil", ["url"] = c.Link } };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = card },
            },
        };

        static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };
    }

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = Truncate(text, 2000) };

    /// <summary>Slack's mrkdwn control characters; user text (monitor and span names) must not turn into links or mentions.</summary>
    internal static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static bool IsAbsolute(string? link) => link is not null && Uri.TryCreate(link, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";
}
