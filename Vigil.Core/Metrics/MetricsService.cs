using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Metrics;

/// <summary>
/// Latency percentiles, error rate, tokens, cost and span counts per kind over time buckets, for charts.
/// One streaming query over the typed columns; percentiles are exact.
/// </summary>
public sealed class MetricsService(IDbContextFactory<VigilDbContext> dbFactory)
{
    public const int MaxBuckets = 2000;

    public async Task<MetricsResult> GetAsync(string projectId, DateTimeOffset start, DateTimeOffset end, TimeSpan bucket, CancellationToken ct = default)
    {
        if (end <= start) throw new ArgumentException("end must be after start", nameof(end));
        if ((end - start) / bucket > MaxBuckets) throw new ArgumentException($"more than {MaxBuckets} buckets", nameof(bucket));
        var fromUs = UnixMicros.From(start);
        var toUs = UnixMicros.From(end);
        var widthUs = bucket.Ticks / 10;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.Spans.AsNoTracking()
            .Where(s => s.ProjectId == projectId && s.StartTimeUs >= fromUs && s.StartTimeUs < toUs)
            .Select(s => new
            {
                Bucket = (s.StartTimeUs - fromUs) / widthUs,
                s.Kind,
                Error = s.Status == SpanStatus.Error,
                s.DurationMs,
                Tokens = (s.InputTokens ?? 0) + (s.OutputTokens ?? 0),
                Cost = s.CostUsd ?? 0,
            })
            .AsAsyncEnumerable();

        var acc = new Dictionary<(string Kind, long Bucket), Acc>();
        await foreach (var r in rows.WithCancellation(ct))
        {
            var key = (r.Kind, r.Bucket);
            if (!acc.TryGetValue(key, out var a)) acc[key] = a = new Acc();
            a.Count++;
            if (r.Error) a.Errors++;
            if (r.DurationMs is { } d) a.Latency.Add(d);
            a.Tokens += r.Tokens;
            a.Cost += r.Cost;
        }

        var series = acc.GroupBy(kv => kv.Key.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MetricsSeries(g.Key, g.OrderBy(kv => kv.Key.Bucket).Select(kv => Point(kv.Value, UnixMicros.ToDateTime(fromUs + kv.Key.Bucket * widthUs))).ToList()))
            .ToList();
        return new MetricsResult(start.UtcDateTime, end.UtcDateTime, bucket, series);
    }

    private static MetricsPoint Point(Acc a, DateTime time)
    {
        double? p50 = null, p95 = null, p99 = null;
        if (a.Latency.Count > 0)
        {
            var sorted = a.Latency.ToArray();
            Array.Sort(sorted);
            p50 = Psi.QuantileOfSorted(sorted, 0.50);
            p95 = Psi.QuantileOfSorted(sorted, 0.95);
            p99 = Psi.QuantileOfSorted(sorted, 0.99);
        }
        return new MetricsPoint(time, a.Count, a.Errors, (double)a.Errors / a.Count, p50, p95, p99, a.Tokens, a.Cost);
    }

    private sealed class Acc
    {
        public int Count;
        public int Errors;
        public readonly List<double> Latency = [];
        public long Tokens;
        public double Cost;
    }
}
