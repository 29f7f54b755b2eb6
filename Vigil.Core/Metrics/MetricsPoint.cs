namespace Vigil.Core.Metrics;

/// <summary>
/// One span kind in one time bucket (<see cref="Time"/> is its start, or the range's start for a first bucket cut by it).
/// Latency percentiles are over ended spans, within 1 % of the exact value; null when none ended.
/// </summary>
public sealed record MetricsPoint(
    DateTime Time,
    long SpanCount,
    long ErrorCount,
    double ErrorRate,
    double? LatencyP50,
    double? LatencyP95,
    double? LatencyP99,
    long Tokens,
    double CostUsd);

/// <summary>The buckets of one kind, oldest first; buckets without spans of the kind are left out.</summary>
public sealed record MetricsSeries(string Kind, IReadOnlyList<MetricsPoint> Points);

public sealed record MetricsResult(DateTime Start, DateTime End, TimeSpan Bucket, IReadOnlyList<MetricsSeries> Series);
