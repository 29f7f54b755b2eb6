namespace Vigil.Core.Drift;

/// <summary>Counts for the dashboard and <c>GET /v1/drift/summary</c>. <see cref="BySeverity"/> counts unresolved alerts.</summary>
public sealed record DriftSummary(int TotalAlerts, int Unresolved, IReadOnlyDictionary<string, int> BySeverity, IReadOnlyList<DriftAlert> RecentAlerts);
