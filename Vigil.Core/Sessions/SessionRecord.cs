namespace Vigil.Core.Sessions;

/// <summary>
/// A conversation of the monitored application (its traces share a <c>session_id</c>), with rollups kept at ingest in
/// the same transaction as the traces (<see cref="SessionDeltas"/>), so the sessions list reads one indexed row per
/// session instead of grouping traces.
/// </summary>
public sealed class SessionRecord
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string SessionId { get; set; }
    public int TraceCount { get; set; }
    /// <summary>Errored spans over the session's traces (the sum of their error counts).</summary>
    public int ErrorCount { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    /// <summary>Input + output, stored so "sort by tokens" reads an index.</summary>
    public long TotalTokens { get; set; }
    public double CostUsd { get; set; }
    /// <summary>The earliest start of its traces.</summary>
    public long FirstTimeUs { get; set; }
    /// <summary>The latest activity of its traces: a trace's end, or its start while it runs.</summary>
    public long LastTimeUs { get; set; }
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }
}
