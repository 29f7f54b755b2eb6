namespace Vigil.Core.Traces;

/// <summary>A span row. JSON payloads are stored as text; typed LLM columns are read out at ingest.</summary>
public sealed class SpanRecord
{
    public long Id { get; set; }

    /// <summary>
    /// The owning trace's row id. Span indexes lead with it instead of (project_id, trace_id): trace ids are random
    /// text, so keying on them scatters every insert across the index, while row ids only grow and keep ingest writes
    /// on the right-most pages.
    /// </summary>
    public long TracePk { get; set; }

    public required string ProjectId { get; set; }
    public required string TraceId { get; set; }
    public required string SpanId { get; set; }
    public string? ParentSpanId { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = SpanKind.Custom;
    public string Status { get; set; } = SpanStatus.Unset;
    public string? Input { get; set; }
    public string? Output { get; set; }
    public string? Metadata { get; set; }
    public string? Events { get; set; }
    public long StartTimeUs { get; set; }
    public long? EndTimeUs { get; set; }
    public double? DurationMs { get; set; }
    public string? Model { get; set; }
    public string? Provider { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public double? CostUsd { get; set; }
}
