namespace Vigil.Core.Ingest;

/// <summary>A trace of a batch as the writer upserts it: the batch-level fields apply to the batch's first trace only.</summary>
internal readonly record struct TraceHeader(string TraceId, string? Name, string? ExternalId, string? Metadata, long StartUs);
