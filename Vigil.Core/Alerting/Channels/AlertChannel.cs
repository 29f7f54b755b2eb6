namespace Vigil.Core.Alerting.Channels;

/// <summary>
/// Where a project's alerts go: a signed webhook, a Slack incoming webhook or a Teams workflow webhook. The URL (it is a
/// credential for Slack and Teams) and the webhook's signing secret are stored encrypted and never shown back.
/// </summary>
public sealed class AlertChannel
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string Name { get; set; }
    /// <summary>webhook | slack | teams.</summary>
    public required string Type { get; set; }
    public required string UrlProtected { get; set; }
    /// <summary>Scheme and host of the URL (e.g. <c>https://hooks.slack.com</c>): enough to recognise it, nothing secret.</summary>
    public required string UrlHint { get; set; }
    /// <summary>The webhook's HMAC secret, encrypted; null for Slack and Teams.</summary>
    public string? SecretProtected { get; set; }
    /// <summary>Comma-separated levels (warning, critical) this channel takes; null = all.</summary>
    public string? Severities { get; set; }
    /// <summary>Comma-separated sources (drift, monitor) this channel takes; null = all.</summary>
    public string? Sources { get; set; }
    public bool Enabled { get; set; } = true;
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }

    public IReadOnlyList<string> SeverityList => Split(Severities);
    public IReadOnlyList<string> SourceList => Split(Sources);

    /// <summary>Whether an alert of this source and level goes to this channel. Tests always do (they are sent to one channel).</summary>
    public bool Accepts(string source, string level) =>
        Enabled
        && (source == AlertSource.Test || Sources is null || SourceList.Contains(source))
        && (source == AlertSource.Test || Severities is null || SeverityList.Contains(AlertSeverity.Level(level) ?? level));

    internal static IReadOnlyList<string> Split(string? csv) =>
        string.IsNullOrEmpty(csv) ? [] : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
