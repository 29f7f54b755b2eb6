namespace Vigil.Core.Drift;

/// <summary>How PSI bins a metric. Stored on a project as <c>quantile</c> | <c>equal_width</c>.</summary>
public enum DriftBinning
{
    /// <summary>Bins at the baseline's quantiles: each holds ~1/n of the baseline, robust to heavy-tailed latency.</summary>
    Quantile,
    /// <summary>n equal-width bins over the combined min..max of both windows: the original Vigil server's method.</summary>
    EqualWidth,
}

public static class DriftBinningNames
{
    public const string Quantile = "quantile";
    public const string EqualWidth = "equal_width";

    public static string ToName(this DriftBinning b) => b == DriftBinning.EqualWidth ? EqualWidth : Quantile;

    public static DriftBinning? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        Quantile => DriftBinning.Quantile,
        EqualWidth or "equalwidth" => DriftBinning.EqualWidth,
        _ => null,
    };
}
