using Vigil.Core.Drift;
using Vigil.Core.Storage;

namespace Vigil.Web.Drift;

/// <summary>A drift alert as the original Vigil server names its fields, plus the group and window bounds.</summary>
public sealed record DriftAlertDto(
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
    public static DriftAlertDto From(DriftAlert a) => new(
        a.Id, a.ProjectId, a.SpanKind, a.SpanName, a.Model, a.Metric, a.BaselineValue, a.CurrentValue, a.PsiScore, a.Severity, a.Resolved,
        UnixMicros.ToDateTime(a.CreatedAtUs), UnixMicros.ToDateTime(a.UpdatedAtUs), UnixMicros.ToDateTime(a.ResolvedAtUs),
        UnixMicros.ToDateTime(a.BaselineStartUs), UnixMicros.ToDateTime(a.BaselineEndUs),
        UnixMicros.ToDateTime(a.CurrentStartUs), UnixMicros.ToDateTime(a.CurrentEndUs),
        a.BaselineCount, a.CurrentCount);
}

public sealed record DriftAlertListResponse(IReadOnlyList<DriftAlertDto> Alerts, int Total);

public sealed record DriftSummaryDto(int TotalAlerts, int Unresolved, IReadOnlyDictionary<string, int> BySeverity, IReadOnlyList<DriftAlertDto> RecentAlerts);

/// <summary>What <c>POST /v1/drift/run</c> answers: the open alerts of the run (opened or updated), and what it resolved.</summary>
public sealed record DriftRunResponse(
    IReadOnlyList<DriftAlertDto> Alerts,
    IReadOnlyList<DriftAlertDto> Resolved,
    int MeasurementCount,
    DateTime BaselineStart,
    DateTime CurrentStart,
    DateTime CurrentEnd);
