namespace Vigil.Core.Drift;

/// <summary>What one detection run did.</summary>
public sealed record DriftRunResult(
    string ProjectId,
    long BaselineStartUs,
    long CurrentStartUs,
    long CurrentEndUs,
    int MeasurementCount,
    IReadOnlyList<DriftAlert> Opened,
    IReadOnlyList<DriftAlert> Updated,
    IReadOnlyList<DriftAlert> Resolved)
{
    /// <summary>The alerts open after this run among the groups it judged.</summary>
    public IEnumerable<DriftAlert> OpenAlerts => Opened.Concat(Updated);
}
