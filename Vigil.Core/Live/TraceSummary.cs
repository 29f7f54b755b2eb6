namespace Vigil.Core.Live;

/// <summary>A trace's rollup as pushed on the live feed.</summary>
public sealed record TraceSummary(
    string TraceId,
    string? Name,
    string Status,
    DateTime StartTime,
    DateTime? EndTime,
    double? DurationMs,
    int SpanCount,
    int ErrorCount,
    long InputTokens,
    long OutputTokens,
    double CostUsd,
    bool IsNew,
    string? SessionId = null,
    string? UserId = null);
