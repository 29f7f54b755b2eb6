using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;

namespace Vigil.Core.Metrics;

/// <summary>
/// Reads span metrics from the rollups only (never the spans): per project, time range, optional kind and model, as one
/// summary or as buckets. Ranges resolve to whole minutes (<see cref="RollupRange"/>). This is the API other features
/// (metrics page, monitors) build on.
/// </summary>
public sealed class MetricRollupQuery(IDbContextFactory<VigilDbContext> dbFactory)
{
    /// <summary>Totals and latency quantiles of one project's spans that started in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    /// <param name="model">A model name, or "" for spans without one; null for all.</param>
    public async Task<MetricSummary> SummarizeAsync(string projectId, DateTimeOffset start, DateTimeOffset end, string? kind = null, string? model = null, CancellationToken ct = default)
    {
        var range = RollupRange.Covering(UnixMicros.From(start), UnixMicros.From(end));
        var sums = new RollupDeltas.Sums();
        await ReadAsync(projectId, range, hours: true, kind, model, (_, _, row) => Add(sums, row), ct);
        return MetricSummary.From(UnixMicros.ToDateTime(range.StartUs), UnixMicros.ToDateTime(range.EndUs), sums);
    }

    /// <summary>
    /// Sums per bucket of <paramref name="width"/> (a whole number of minutes; buckets aligned to multiples of it since
    /// the Unix epoch, the first and last cut to the range) and per group (e.g. the kind), in bucket order.
    /// </summary>
    public async Task<Dictionary<(long BucketUs, string Group), MetricSummary>> BucketsAsync(string projectId, DateTimeOffset start, DateTimeOffset end,
        TimeSpan width, Func<string, string, string> group, CancellationToken ct = default)
    {
        var widthUs = width.Ticks / 10;
        if (!RollupRange.IsWholeMinutes(widthUs)) throw new ArgumentException("The bucket must be a whole number of minutes.", nameof(width));
        var range = RollupRange.Covering(UnixMicros.From(start), UnixMicros.From(end));
        var acc = new Dictionary<(long, string), RollupDeltas.Sums>();
        await ReadAsync(projectId, range, RollupRange.HoursFit(widthUs), null, null, (kind, model, row) =>
        {
            var bucket = Math.Max(range.StartUs, row.BucketStartUs - Mod(row.BucketStartUs, widthUs));
            var key = (bucket, group(kind, model));
            if (!acc.TryGetValue(key, out var sums)) acc[key] = sums = new RollupDeltas.Sums();
            Add(sums, row);
        }, ct);
        return acc.ToDictionary(kv => kv.Key, kv =>
        {
            var (bucket, _) = kv.Key;
            var bucketEnd = Math.Min(range.EndUs, bucket - Mod(bucket, widthUs) + widthUs);
            return MetricSummary.From(UnixMicros.ToDateTime(bucket), UnixMicros.ToDateTime(bucketEnd), kv.Value);
        });
    }

    private static long Mod(long a, long b) => ((a % b) + b) % b;

    private async Task ReadAsync(string projectId, RollupRange range, bool hours, string? kind, string? model,
        Action<string, string, Row> add, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var (seconds, from, to) in range.Parts(hours))
        {
            var q = db.MetricRollups.AsNoTracking()
                .Where(r => r.ProjectId == projectId && r.BucketSeconds == seconds && r.BucketStartUs >= from && r.BucketStartUs < to);
            if (kind is not null) q = q.Where(r => r.Kind == kind);
            if (model is not null) q = q.Where(r => r.Model == model);
            var rows = q.Select(r => new Row(r.Kind, r.Model, r.BucketStartUs, r.SpanCount, r.ErrorCount, r.InputTokens, r.OutputTokens,
                r.CostNanoUsd, r.LatencyCount, r.LatencySumUs, r.LatencySketch)).AsAsyncEnumerable();
            await foreach (var row in rows.WithCancellation(ct)) add(row.Kind, row.Model, row);
        }
    }

    private static void Add(RollupDeltas.Sums sums, Row r)
    {
        sums.SpanCount += r.SpanCount;
        sums.ErrorCount += r.ErrorCount;
        sums.InputTokens += r.InputTokens;
        sums.OutputTokens += r.OutputTokens;
        sums.CostNanoUsd += r.CostNanoUsd;
        sums.LatencyCount += r.LatencyCount;
        sums.LatencySumUs += r.LatencySumUs;
        if (r.LatencySketch is { } s) sums.Sketch.MergeEncoded(s);
    }

    private sealed record Row(string Kind, string Model, long BucketStartUs, long SpanCount, long ErrorCount, long InputTokens, long OutputTokens,
        long CostNanoUsd, long LatencyCount, long LatencySumUs, byte[]? LatencySketch);
}

/// <summary>
/// Span metrics over a range from the rollups: counts, tokens, cost (exact), latency mean (exact) and quantiles (within
/// 1 % relative error, <see cref="LatencySketch"/>), in milliseconds over the spans that have ended.
/// </summary>
public sealed record MetricSummary(
    DateTime Start, DateTime End, long SpanCount, long ErrorCount, long InputTokens, long OutputTokens, double CostUsd,
    long LatencyCount, double? LatencyMeanMs, LatencySketch Latency)
{
    public double ErrorRate => SpanCount == 0 ? 0 : (double)ErrorCount / SpanCount;
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>The latency q-quantile in milliseconds; null when no span in the range has ended.</summary>
    public double? LatencyQuantileMs(double q) => Latency.Quantile(q) / 1000.0;

    internal static MetricSummary From(DateTime start, DateTime end, RollupDeltas.Sums s) => new(
        start, end, s.SpanCount, s.ErrorCount, s.InputTokens, s.OutputTokens, s.CostNanoUsd / 1e9,
        s.LatencyCount, s.LatencyCount > 0 ? s.LatencySumUs / 1000.0 / s.LatencyCount : null, s.Sketch);
}
