using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Storage;

namespace Vigil.Web.Alerting;

/// <summary><c>POST /v1/monitors</c> and <c>PUT /v1/monitors/{id}</c> (PUT replaces the definition).</summary>
public sealed record MonitorRequest(
    string? ProjectId, string? Name, string? Metric, int? WindowMinutes, double? Warning, double? Critical, string? Direction,
    string? SpanKind, string? SpanName, string? Model, string? ScoreName, int? NoDataMinutes, int? Hysteresis, bool? Enabled)
{
    public MonitorInput ToInput() => new(Name, Metric, WindowMinutes, Warning, Critical, Direction, SpanKind, SpanName, Model, NoDataMinutes, Hysteresis, Enabled, ScoreName);

    public Dictionary<string, string[]> Validate() => ToInput().Validate();
}

public sealed record MonitorView(
    long Id, string ProjectId, string Name, string Metric, int WindowMinutes, double? Warning, double? Critical, string Direction,
    string? SpanKind, string? SpanName, string? Model, string? ScoreName, int? NoDataMinutes, int Hysteresis, bool Enabled,
    string State, string? StateReason, DateTime StateSince, double? LastValue, DateTime? LastEvaluatedAt, DateTime? SilencedUntil,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static MonitorView From(AlertMonitor m, int defaultHysteresis) => new(
        m.Id, m.ProjectId, m.Name, m.Metric, m.WindowMinutes, m.Warning, m.Critical, m.Direction, m.SpanKind, m.SpanName, m.Model, m.ScoreName,
        m.NoDataMinutes, m.Hysteresis ?? defaultHysteresis, m.Enabled, m.State, m.StateReason, UnixMicros.ToDateTime(m.StateSinceUs),
        m.LastValue, UnixMicros.ToDateTime(m.LastEvaluatedAtUs), UnixMicros.ToDateTime(m.SilencedUntilUs),
        UnixMicros.ToDateTime(m.CreatedAtUs), UnixMicros.ToDateTime(m.UpdatedAtUs));
}

public sealed record MonitorListResponse(IReadOnlyList<MonitorView> Monitors, int Total);

/// <summary><c>POST /v1/monitors/{id}/silence</c>: minutes from now (0 lifts the silence).</summary>
public sealed record SilenceRequest(int? Minutes);

public sealed record MonitorStateChangeDto(
    long Id, long MonitorId, string MonitorName, string Metric, string FromState, string ToState, string? Reason, double? Value,
    double? Warning, double? Critical, string Direction, bool Silenced, DateTime At)
{
    public static MonitorStateChangeDto From(MonitorStateChange c) => new(c.Id, c.MonitorId, c.MonitorName, c.Metric, c.FromState, c.ToState,
        c.Reason, c.Value, c.Warning, c.Critical, c.Direction, c.Silenced, UnixMicros.ToDateTime(c.AtUs));
}

public sealed record MonitorHistoryResponse(IReadOnlyList<MonitorStateChangeDto> Changes, int Total);
