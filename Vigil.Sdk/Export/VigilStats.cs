namespace Vigil.Sdk.Export;

/// <summary>Exporter counters (spans, except <see cref="Retries"/> which counts retried requests).</summary>
public readonly record struct VigilStats(long Enqueued, long Exported, long Dropped, long Rejected, long Retries, long Queued);
