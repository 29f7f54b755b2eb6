namespace Vigil.Core.Ingest;

/// <summary>
/// One span as handed to <see cref="IngestService"/> by a transport parser (native JSON, OTLP).
/// JSON payloads are raw JSON text. A null field means "not sent": on an update the stored value is kept.
/// </summary>
public sealed class SpanInput
{
    public string? SpanId { get; set; }
    public string? TraceId { get; set; }
    public string? ParentSpanId { get; set; }
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Status { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }
    public string? Metadata { get; set; }
    public string? Events { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
    public string? Model { get; set; }
    public string? Provider { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public double? CostUsd { get; set; }
    /// <summary>The application's conversation; the first non-null per trace in a batch becomes the trace's.</summary>
    public string? SessionId { get; set; }
    /// <summary>The application's end user; the first non-null per trace in a batch becomes the trace's.</summary>
    public string? UserId { get; set; }
    /// <summary>Scores recorded on this span by the client (native <c>scores</c>, OTLP evaluation events).</summary>
    public List<Scores.ScoreInput>? Scores { get; set; }
}
