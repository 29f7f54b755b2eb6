namespace Vigil.Core.Drift;

/// <summary>PSI thresholds from DESIGN.md: below 0.1 no drift, from 0.1 medium, from 0.2 high.</summary>
public static class DriftSeverity
{
    public const string Medium = "medium";
    public const string High = "high";
    public const double MediumThreshold = 0.1;
    public const double HighThreshold = 0.2;

    public static readonly IReadOnlyList<string> All = [Medium, High];

    public static string? Of(double psi) => psi >= HighThreshold ? High : psi >= MediumThreshold ? Medium : null;
}
