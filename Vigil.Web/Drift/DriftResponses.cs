using Vigil.Core.Drift;

namespace Vigil.Web.Drift;

public sealed record DriftAlertListResponse(IReadOnlyList<DriftAlertView> Alerts, int Total);

public sealed record DriftSummaryDto(int TotalAlerts, int Unresolved, IReadOnlyDictionary<string, int> BySeverity, IReadOnlyList<DriftAlertView> RecentAlerts);

/// <summary>What <c>POST /v1/drift/run</c> answers: the open alerts of the run (opened or updated), and what it resolved.</summary>
public sealed record DriftRunResponse(
    IReadOnlyList<DriftAlertView> Alerts,
    IReadOnlyList<DriftAlertView> Resolved,
    int MeasurementCount,
    DateTime BaselineStart,
    DateTime CurrentStart,
    DateTime CurrentEnd);
