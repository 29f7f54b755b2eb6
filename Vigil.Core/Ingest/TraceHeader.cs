namespace Vigil.Core.Ingest;

/// <summary>
/// A trace of a batch as the writer upserts it: the batch-level fields apply to the batch's first trace only. Session and
/// user are the batch's values for this trace (null: not sent, the stored ones stay).
/// </summary>
internal readonly record struct TraceHeader(string TraceId, string? Name, string? ExternalId, string? Metadata, long StartUs,
    string? SessionId = null, string? UserId = null);
