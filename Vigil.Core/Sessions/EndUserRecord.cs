namespace Vigil.Core.Sessions;

/// <summary>
/// An end user of the monitored application (its traces share a <c>user_id</c>), with rollups kept at ingest like
/// <see cref="SessionRecord"/>. Not a Vigil account: those are <c>/v1/accounts</c>.
/// </summary>
public sealed class EndUserRecord
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string UserId { get; set; }
    public int TraceCount { get; set; }
    /// <summary>Distinct sessions among the user's traces (rows of <see cref="SessionUserRecord"/>).</summary>
    public int SessionCount { get; set; }
    /// <summary>Traces with at least one errored span: the numerator of the error rate.</summary>
    public int ErrorTraceCount { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long TotalTokens { get; set; }
    public double CostUsd { get; set; }
    public long FirstTimeUs { get; set; }
    public long LastTimeUs { get; set; }
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }
}
