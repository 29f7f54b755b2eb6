namespace Vigil.Core.Alerting;

/// <summary>
/// Two levels for every alert: <c>warning</c> and <c>critical</c>. Drift's <c>medium</c> and <c>high</c> are the same two
/// levels under their PSI names, so a channel filter written either way takes both sources.
/// </summary>
public static class AlertSeverity
{
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static readonly IReadOnlyList<string> All = [Warning, Critical];

    /// <summary>Every name a filter accepts.</summary>
    public static readonly IReadOnlyList<string> Names = [Warning, Critical, Drift.DriftSeverity.Medium, Drift.DriftSeverity.High];

    /// <summary>The level of a severity name (warning|critical|medium|high), or null for an unknown name.</summary>
    public static string? Level(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        Warning or Drift.DriftSeverity.Medium => Warning,
        Critical or Drift.DriftSeverity.High => Critical,
        _ => null,
    };

    public static int Rank(string? level) => Level(level) switch { Critical => 2, Warning => 1, _ => 0 };
}
