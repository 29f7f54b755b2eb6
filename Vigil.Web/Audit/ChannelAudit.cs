using Vigil.Core.Alerting.Channels;
using Vigil.Web.Alerting;

namespace Vigil.Web.Audit;

/// <summary>How an alert channel is named in the audit log: never its URL's path or its secret, as everywhere else.</summary>
public static class ChannelAudit
{
    public static string Target(AlertChannel c) => $"{c.Name} ({c.Type}, {c.UrlHint})";

    /// <summary>The fields an update set (a new URL is named, not shown).</summary>
    public static string Changed(ChannelRequest r)
    {
        var fields = new List<string>();
        if (r.Name is not null) fields.Add("name");
        if (r.Type is not null) fields.Add("type");
        if (r.Url is not null) fields.Add("url");
        if (r.Severities is not null) fields.Add("severities");
        if (r.Sources is not null) fields.Add("sources");
        if (r.Enabled is { } on) fields.Add(on ? "enabled" : "disabled");
        return fields.Count == 0 ? "nothing changed" : "set " + string.Join(", ", fields);
    }
}
