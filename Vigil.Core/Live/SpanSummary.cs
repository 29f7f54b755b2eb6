namespace Vigil.Core.Live;

/// <summary>What the live feed carries for a span: enough to list and place it, not its input or output.</summary>
public sealed record SpanSummary(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Status,
    DateTime StartTime,
    DateTime? EndTime,
    double? DurationMs,
    string? Model,
    long? InputTokens,
    long? OutputTokens,
    double? CostUsd);
