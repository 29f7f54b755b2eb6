using Vigil.Core.Alerting.Channels;

namespace Vigil.Web.Audit;

/// <summary>How an alert channel is named in the audit log: never its URL's path or its secret, as everywhere else.</summary>
public static class ChannelAudit
{
    public static string Target(AlertChannel c) => $"{c.Name} ({c.Type}, {c.UrlHint})";

    /// <summary>
    /// What an update changed, old → new for what is not secret ("name 'Ops' → 'Ops 2', host https://a → https://b");
    /// a new URL on the same host reads "url replaced".
    /// </summary>
    public static string Changes(AlertChannel before, AlertChannel after, bool urlSent)
    {
        var changes = new List<string>();
        if (before.Name != after.Name) changes.Add($"name '{before.Name}' → '{after.Name}'");
        if (before.Type != after.Type) changes.Add($"type {before.Type} → {after.Type}");
        if (before.UrlHint != after.UrlHint) changes.Add($"host {before.UrlHint} → {after.UrlHint}");
        else if (urlSent && before.UrlProtected != after.UrlProtected) changes.Add("url replaced");
        if (before.Severities != after.Severities) changes.Add($"severities {before.Severities ?? "all"} → {after.Severities ?? "all"}");
        if (before.Sources != after.Sources) changes.Add($"sources {before.Sources ?? "all"} → {after.Sources ?? "all"}");
        if (before.Enabled != after.Enabled) changes.Add(after.Enabled ? "enabled" : "disabled");
        return changes.Count == 0 ? "nothing changed" : string.Join(", ", changes);
    }
}
