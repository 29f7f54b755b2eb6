using Vigil.Core.Traces;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>A monitor's definition as the API and the dashboard send it (create, or replace on update).</summary>
public sealed record MonitorInput(
    string? Name,
    string? Metric,
    int? WindowMinutes,
    double? Warning,
    double? Critical,
    string? Direction,
    string? SpanKind = null,
    string? SpanName = null,
    string? Model = null,
    int? NoDataMinutes = null,
    int? Hysteresis = null,
    bool? Enabled = null,
    string? ScoreName = null)
{
    public const int MaxNameLength = 200;
    public const int MinWindowMinutes = 5;
    public const int MaxWindowMinutes = 24 * 60;

    public Dictionary<string, string[]> Validate()
    {
        var e = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > MaxNameLength) e["name"] = [$"Required, at most {MaxNameLength} characters."];
        if (string.IsNullOrWhiteSpace(Metric)) e["metric"] = [$"Required: one of {string.Join(", ", MonitorMetric.All)}."];
        else if (!MonitorMetric.All.Contains(Metric)) e["metric"] = [$"Must be one of {string.Join(", ", MonitorMetric.All)}."];
        if (Metric == MonitorMetric.ScoreAvg && string.IsNullOrWhiteSpace(ScoreName)) e["score_name"] = ["Required for score_avg: the name of a numeric or yes/no score."];
        else if (Metric != MonitorMetric.ScoreAvg && !string.IsNullOrEmpty(ScoreName)) e["score_name"] = ["Only score_avg monitors take a score name."];
        else if (ScoreName is { Length: > Scores.ScoreLimits.MaxNameLength }) e["score_name"] = [$"At most {Scores.ScoreLimits.MaxNameLength} characters."];
        if (WindowMinutes is not (>= MinWindowMinutes and <= MaxWindowMinutes))
            e["window_minutes"] = [$"Required, from {MinWindowMinutes} to {MaxWindowMinutes} (24 h)."];
        if (Direction is not (MonitorDirection.Above or MonitorDirection.Below)) e["direction"] = ["Required: above or below."];

        var noDataOnly = Metric == MonitorMetric.SpanCount && NoDataMinutes is not null;
        if (Warning is null && Critical is null && !noDataOnly) e["critical"] = ["Give a warning or a critical threshold (or both)."];
        foreach (var (field, value) in new[] { ("warning", Warning), ("critical", Critical) })
        {
            if (value is not { } v) continue;
            if (!double.IsFinite(v) || v < 0) e[field] = ["Must be a finite number, 0 or more."];
            else if (Metric == MonitorMetric.ErrorRate && v > 1) e[field] = ["error_rate is a fraction from 0 to 1 (0.05 is 5 %)."];
        }
        if (Warning is { } w && Critical is { } c && !e.ContainsKey("warning") && !e.ContainsKey("critical"))
        {
            if (Direction == MonitorDirection.Above && w > c) e["warning"] = ["With direction above, warning must not be more than critical."];
            if (Direction == MonitorDirection.Below && w < c) e["warning"] = ["With direction below, warning must not be less than critical."];
        }

        if (SpanKind is not null && !Traces.SpanKind.IsValid(SpanKind)) e["span_kind"] = [$"Must be one of {string.Join(", ", Traces.SpanKind.All)}."];
        if (SpanName is { Length: > 512 }) e["span_name"] = ["At most 512 characters."];
        if (Model is { Length: > 128 }) e["model"] = ["At most 128 characters."];
        if (NoDataMinutes is not null)
        {
            if (Metric != MonitorMetric.SpanCount) e["no_data_minutes"] = ["Only span_count monitors have a no-data condition."];
            else if (NoDataMinutes is not (>= 1 and <= MaxWindowMinutes)) e["no_data_minutes"] = [$"From 1 to {MaxWindowMinutes}."];
        }
        if (Hysteresis is not null and not (>= 1 and <= 60)) e["hysteresis"] = ["From 1 to 60 evaluations."];
        return e;
    }

    internal void ApplyTo(AlertMonitor m)
    {
        m.Name = Name!.Trim();
        m.Metric = Metric!;
        m.WindowMinutes = WindowMinutes!.Value;
        m.Warning = Warning;
        m.Critical = Critical;
        m.Direction = Direction!;
        m.SpanKind = Blank(SpanKind);
        m.SpanName = Blank(SpanName);
        m.Model = Blank(Model);
        m.ScoreName = Metric == MonitorMetric.ScoreAvg ? ScoreName!.Trim() : null;
        m.NoDataMinutes = NoDataMinutes;
        m.Hysteresis = Hysteresis;
        if (Enabled is { } enabled) m.Enabled = enabled;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
