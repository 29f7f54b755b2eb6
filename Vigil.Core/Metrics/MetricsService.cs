namespace Vigil.Core.Metrics;

/// <summary>
/// Latency percentiles, error rate, tokens, cost and span counts per kind over time buckets, for charts; read from the
/// per-minute and per-hour rollups (<see cref="MetricRollupQuery"/>), so its cost follows the range and the bucket count,
/// not the number of spans stored.
/// </summary>
public sealed class MetricsService(MetricRollupQuery rollups)
{
    public const int MaxBuckets = 2000;

    public async Task<MetricsResult> GetAsync(string projectId, DateTimeOffset start, DateTimeOffset end, TimeSpan bucket, CancellationToken ct = default)
    {
        if (end <= start) throw new ArgumentException("end must be after start", nameof(end));
        if ((end - start) / bucket > MaxBuckets) throw new ArgumentException($"more than {MaxBuckets} buckets", nameof(bucket));
        var buckets = await rollups.BucketsAsync(projectId, start, end, bucket, (kind, _) => kind, ct);
        var series = buckets.GroupBy(kv => kv.Key.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MetricsSeries(g.Key, g.OrderBy(kv => kv.Key.BucketUs).Select(kv => Point(kv.Value)).ToList()))
            .ToList();
        return new MetricsResult(start.UtcDateTime, end.UtcDateTime, bucket, series);
    }

    private static MetricsPoint Point(MetricSummary s) => new(
        s.Start, s.SpanCount, s.ErrorCount, s.ErrorRate,
        s.LatencyQuantileMs(0.50), s.LatencyQuantileMs(0.95), s.LatencyQuantileMs(0.99),
        s.Tokens, s.CostUsd);
}
