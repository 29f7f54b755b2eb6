namespace Vigil.Core.Ingest;

/// <summary>A parsed batch: spans plus the trace-level fields that apply to the batch's first trace.</summary>
public sealed class IngestBatch
{
    public List<SpanInput> Spans { get; } = [];
    public string? ProjectId { get; set; }
    public string? TraceName { get; set; }
    public string? TraceMetadata { get; set; }
    public string? ExternalId { get; set; }
    /// <summary>The first trace's session (wins over its spans' <see cref="SpanInput.SessionId"/>).</summary>
    public string? SessionId { get; set; }
    /// <summary>The first trace's end user (wins over its spans' <see cref="SpanInput.UserId"/>).</summary>
    public string? UserId { get; set; }

    /// <summary>Errors the parser found (wrong JSON types, bad timestamps), reported together with validation errors.</summary>
    public List<IngestError> Errors { get; } = [];
}
