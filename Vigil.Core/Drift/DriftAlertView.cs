using Vigil.Core.Storage;

namespace Vigil.Core.Drift;

/// <summary>
/// A drift alert as the API and the live hub show it: the original Vigil server's field names (serialized snake_case),
/// plus the group and window bounds. Never the histogram, which only the dashboard's chart reads.
/// </summary>
public sealed record DriftAlertView(
    long Id,
    string ProjectId,
    string SpanKind,
    string? SpanName,
    string? Model,
    string MetricName,
    double BaselineValue,
    double CurrentValue,
    double PsiScore,
    string Severity,
    bool Resolved,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? ResolvedAt,
    DateTime BaselineStart,
    DateTime BaselineEnd,
    DateTime CurrentStart,
    DateTime CurrentEnd,
    int BaselineCount,
    int CurrentCount)
{
    public static DriftAlertView From(DriftAlert a) => new(
        a.Id, a.ProjectId, a.SpanKind, a.SpanName, a.Model, a.Metric, a.BaselineValue, a.CurrentValue, a.PsiScore, a.Severity, a.Resolved,
        UnixMicros.ToDateTime(a.CreatedAtUs), UnixMicros.ToDateTime(a.UpdatedAtUs), UnixMicros.ToDateTime(a.ResolvedAtUs),
        UnixMicros.ToDateTime(a.BaselineStartUs), UnixMicros.ToDateTime(a.BaselineEndUs),
        UnixMicros.ToDateTime(a.CurrentStartUs), UnixMicros.ToDateTime(a.CurrentEndUs),
        a.BaselineCount, a.CurrentCount);
}

