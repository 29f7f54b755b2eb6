namespace Vigil.Core.Traces;

/// <summary>A trace row with the rollups that ingest keeps current.</summary>
public sealed class TraceRecord
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string TraceId { get; set; }
    public string? Name { get; set; }
    /// <summary>True when a client named the trace; otherwise the name follows the root span.</summary>
    public bool NameExplicit { get; set; }
    public string Status { get; set; } = SpanStatus.Unset;
    /// <summary>True when a client set the status (PATCH); otherwise it is derived from the spans.</summary>
    public bool StatusExplicit { get; set; }
    public string? ExternalId { get; set; }
    public string? Metadata { get; set; }
    public string? ReplayOf { get; set; }
    /// <summary>The monitored application's conversation this trace is a turn of (≤ 256 characters).</summary>
    public string? SessionId { get; set; }
    /// <summary>The monitored application's end user (≤ 256 characters).</summary>
    public string? UserId { get; set; }
    public long StartTimeUs { get; set; }
    public long? EndTimeUs { get; set; }
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }
    public int SpanCount { get; set; }
    public int ErrorCount { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public double CostUsd { get; set; }
    public double? DurationMs { get; set; }
    /// <summary>Distinct models of the trace's spans, comma separated, for the explorer.</summary>
    public string? Models { get; set; }
    /// <summary><see cref="Models"/> one by one (get-only: not a column).</summary>
    public string[] ModelList => string.IsNullOrEmpty(Models) ? [] : Models.Split(',');
}
