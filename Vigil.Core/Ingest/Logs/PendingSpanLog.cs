namespace Vigil.Core.Ingest.Logs;

/// <summary>
/// What OTLP log records said about one span (its GenAI messages and other records), keyed by (project, trace id,
/// span id). Kept whether or not the span exists yet: log ingest folds it into the span when the span is there, span
/// ingest folds it in when the span arrives later (or is sent again), and rows expire
/// <see cref="IngestOptions.PendingLogMinutes"/> after their last update.
/// </summary>
public sealed class PendingSpanLog
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string TraceId { get; set; }
    public required string SpanId { get; set; }

    /// <summary>The accumulated <see cref="SpanLogContent"/> as JSON.</summary>
    public required string Payload { get; set; }

    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }

    /// <summary>When the payload was last folded into its span; null while the span has not been seen.</summary>
    public long? AppliedAtUs { get; set; }
}
