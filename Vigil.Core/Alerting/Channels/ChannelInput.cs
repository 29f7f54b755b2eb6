namespace Vigil.Core.Alerting.Channels;

/// <summary>
/// A channel to create, or the changes to one (null leaves a field as it is; an empty list of severities or sources means
/// "all"). The URL is write-only: it is never read back.
/// </summary>
public sealed record ChannelInput(string? Name, string? Type, string? Url, IReadOnlyList<string>? Severities, IReadOnlyList<string>? Sources, bool? Enabled = null)
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2048;

    public Dictionary<string, string[]> Validate(bool create)
    {
        var errors = new Dictionary<string, string[]>();
        if (create || Name is not null)
            if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > MaxNameLength) errors["name"] = [$"Required, at most {MaxNameLength} characters."];
        if (create && string.IsNullOrWhiteSpace(Type)) errors["type"] = ["Required: webhook, slack or teams."];
        else if (Type is not null && !ChannelType.All.Contains(Type)) errors["type"] = ["Must be webhook, slack or teams."];
        if (create && string.IsNullOrWhiteSpace(Url)) errors["url"] = ["Required: the channel's absolute http(s) URL."];
        else if (Url is not null && (Url.Length > MaxUrlLength || !AlertingOptions.IsHttpUrl(Url.Trim())))
            errors["url"] = [$"Must be an absolute http(s) URL of at most {MaxUrlLength} characters."];
        if (Severities?.FirstOrDefault(s => AlertSeverity.Level(s) is null) is { } badSeverity)
            errors["severities"] = [$"'{badSeverity}' is not a severity: use warning, critical (or drift's medium, high)."];
        if (Sources?.FirstOrDefault(s => !AlertSource.Filterable.Contains(s)) is { } badSource)
            errors["sources"] = [$"'{badSource}' is not a source: use drift, monitor."];
        return errors;
    }

    /// <summary>Levels as stored: distinct, in scale order, comma-separated; null for "all".</summary>
    internal static string? SeverityCsv(IReadOnlyList<string> list)
    {
        var levels = AlertSeverity.All.Where(l => list.Any(s => AlertSeverity.Level(s) == l)).ToList();
        return levels.Count is 0 || levels.Count == AlertSeverity.All.Count ? null : string.Join(',', levels);
    }

    internal static string? SourceCsv(IReadOnlyList<string> list)
    {
        var sources = AlertSource.Filterable.Where(list.Contains).ToList();
        return sources.Count is 0 || sources.Count == AlertSource.Filterable.Count ? null : string.Join(',', sources);
    }
}
