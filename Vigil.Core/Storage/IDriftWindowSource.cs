using Vigil.Core.Drift;

namespace Vigil.Core.Storage;

/// <summary>Reads the drift detector's two windows of one project from the typed span columns.</summary>
public interface IDriftWindowSource
{
    /// <summary>
    /// The samples of the baseline [<paramref name="baselineStartUs"/>, <paramref name="currentStartUs"/>) and current
    /// [<paramref name="currentStartUs"/>, <paramref name="endUs"/>) windows per group, each list in the order of one
    /// query over the window by start time index (so PSI is the same whichever way it was read).
    /// </summary>
    Task<(Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current)> ReadWindowsAsync(
        string projectId, long baselineStartUs, long currentStartUs, long endUs, DriftGroupBy groupBy, int parallelism, CancellationToken ct);
}
