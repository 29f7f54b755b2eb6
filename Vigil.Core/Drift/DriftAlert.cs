namespace Vigil.Core.Drift;

/// <summary>A detected shift of one metric of one span group between a baseline and a current window.</summary>
public sealed class DriftAlert
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string SpanKind { get; set; }
    /// <summary>Set when the project groups finer than by kind.</summary>
    public string? SpanName { get; set; }
    public string? Model { get; set; }
    /// <summary>latency | tokens | cost | error_rate | output_length.</summary>
    public required string Metric { get; set; }
    public double BaselineValue { get; set; }
    public double CurrentValue { get; set; }
    public double PsiScore { get; set; }
    /// <summary>medium | high.</summary>
    public required string Severity { get; set; }
    public long BaselineStartUs { get; set; }
    public long BaselineEndUs { get; set; }
    public long CurrentStartUs { get; set; }
    public long CurrentEndUs { get; set; }
    public int BaselineCount { get; set; }
    public int CurrentCount { get; set; }
    /// <summary>JSON: bin edges and baseline/current shares, for the distribution chart.</summary>
    public string? Histogram { get; set; }
    public bool Resolved { get; set; }
    public long? ResolvedAtUs { get; set; }
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }
}
