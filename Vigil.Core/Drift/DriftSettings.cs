using Vigil.Core.Projects;

namespace Vigil.Core.Drift;

/// <summary>A project's effective drift settings: its own where set, else the server defaults (<see cref="DriftOptions"/>).</summary>
public sealed record DriftSettings(
    bool Enabled,
    int IntervalMinutes,
    int BaselineHours,
    int CurrentHours,
    DriftBinning Binning,
    DriftGroupBy GroupBy,
    int MinBaselineSamples,
    int MinCurrentSamples,
    int Bins,
    int MinSamplesPerBin = 0)
{
    /// <summary>Bins for a quantile comparison against <paramref name="currentCount"/> current samples (see <see cref="DriftOptions.MinSamplesPerBin"/>).</summary>
    public int QuantileBins(int currentCount) => MinSamplesPerBin <= 0 ? Bins : Math.Clamp(currentCount / MinSamplesPerBin, 2, Bins);

    public static DriftSettings Resolve(Project project, DriftOptions o) => new(
        project.DriftEnabled,
        project.DriftIntervalMinutes is > 0 and var i ? i : o.IntervalMinutes,
        project.DriftBaselineHours is > 0 and var b ? b : o.BaselineHours,
        project.DriftCurrentHours is > 0 and var c ? c : o.CurrentHours,
        DriftBinningNames.Parse(project.DriftBinning) ?? o.Binning,
        DriftGroupByNames.Parse(project.DriftGroupBy) ?? o.GroupBy,
        o.MinBaselineSamples,
        o.MinCurrentSamples,
        o.Bins,
        o.MinSamplesPerBin);
}
