namespace Vigil.Web.Components.Traces;

/// <summary>Time range presets of the trace explorer; the window is relative to each load, so a shared link stays "the last hour".</summary>
public static class TimeRange
{
    public const string Custom = "custom";

    public static readonly IReadOnlyList<(string Key, string Label, TimeSpan Span)> Presets =
    [
        ("15m", "Last 15 minutes", TimeSpan.FromMinutes(15)),
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
        ("30d", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    public static TimeSpan? SpanOf(string? key) => Presets.FirstOrDefault(p => p.Key == key) is { Key: not null } p ? p.Span : null;

    public static bool IsKnown(string? key) => key == Custom || SpanOf(key) is not null;
}
