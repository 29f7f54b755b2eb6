namespace Vigil.Core.Ingest;

public enum IngestOutcome
{
    Accepted,
    Invalid,
    Forbidden,
    /// <summary>The database cannot take the write now (full, locked, read-only): nothing was written; retry after <see cref="IngestResult.RetryAfter"/>.</summary>
    Unavailable,
}

/// <summary>What <see cref="IngestService.IngestAsync"/> did with a batch.</summary>
public sealed class IngestResult
{
    public IngestOutcome Outcome { get; init; }
    /// <summary>Trace ids in order of first appearance in the batch.</summary>
    public IReadOnlyList<string> TraceIds { get; init; } = [];
    public int SpanCount { get; init; }
    /// <summary>Spans dropped as invalid (only in <see cref="IngestMode.DropInvalid"/>).</summary>
    public int RejectedCount { get; init; }
    public IReadOnlyList<IngestError> Errors { get; init; } = [];
    public string? Message { get; init; }
    /// <summary>For <see cref="IngestOutcome.Unavailable"/>: when to retry.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
