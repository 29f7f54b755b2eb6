namespace Vigil.Core.Metrics;

/// <summary>One span kind in one time bucket. Latency percentiles are over ended spans; null when none ended.</summary>
public sealed record MetricsPoint(
    DateTime Time,
    int SpanCount,
    int ErrorCount,
    double ErrorRate,
    double? LatencyP50,
    double? LatencyP95,
    double? LatencyP99,
    long Tokens,
    double CostUsd);

/// <summary>The buckets of one kind, oldest first; empty buckets are left out.</summary>
public sealed record MetricsSeries(string Kind, IReadOnlyList<MetricsPoint> Points);

public sealed record MetricsResult(DateTime Start, DateTime End, TimeSpan Bucket, IReadOnlyList<MetricsSeries> Series);
