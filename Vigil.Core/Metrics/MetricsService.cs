using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Storage;

namespace Vigil.Core.Metrics;

/// <summary>
/// Latency percentiles, error rate, tokens, cost and span counts per kind over time buckets, for charts.
/// One streaming query over the typed columns; percentiles are exact (SQLite has no percentile function).
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
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """
            SELECT (start_time_us - $from) / $w, kind, status = 'error', duration_ms,
                   COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0), COALESCE(cost_usd, 0)
            FROM spans WHERE project_id = $p AND start_time_us >= $from AND start_time_us < $to
            """;
        Add(cmd, "$p", projectId);
        Add(cmd, "$from", fromUs);
        Add(cmd, "$to", toUs);
        Add(cmd, "$w", widthUs);

        var acc = new Dictionary<(string Kind, long Bucket), Acc>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetString(1), r.GetInt64(0));
                if (!acc.TryGetValue(key, out var a)) acc[key] = a = new Acc();
                a.Count++;
                if (r.GetInt64(2) != 0) a.Errors++;
                if (!r.IsDBNull(3)) a.Latency.Add(r.GetDouble(3));
                a.Tokens += r.GetInt64(4);
                a.Cost += r.GetDouble(5);
            }
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

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
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
