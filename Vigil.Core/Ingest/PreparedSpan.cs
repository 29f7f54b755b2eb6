namespace Vigil.Core.Ingest;

/// <summary>A validated span with its trace resolved and derived fields filled, ready for the writer.</summary>
internal readonly record struct PreparedSpan(SpanInput Input, string TraceId, long StartUs, long? EndUs, double? DurationMs, string? Provider, double? CostUsd);
