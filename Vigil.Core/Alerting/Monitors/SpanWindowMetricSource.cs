using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// Monitor metrics straight from the spans of the window: one provider-neutral LINQ read per project and evaluation, of
/// the longest window its monitors need, through the (project_id, start_time_us) index (or (project_id, kind,
/// start_time_us) when every monitor watches the same kind), in start-time order and only the typed columns. Every
/// monitor of the project is then measured from those rows in memory. The cost follows the spans in the longest window
/// (at most 24 h), not the history.
/// </summary>
/// <remarks>
/// When per-minute rollups (count, errors, tokens, cost and a latency histogram per project, minute, kind and model) are
/// kept at ingest, an <see cref="IMonitorMetricSource"/> over them replaces this one for every monitor without a span-name
/// filter (rollups do not key on name; those keep reading spans here).
/// </remarks>
public sealed class SpanWindowMetricSource(IDbContextFactory<VigilDbContext> dbFactory) : IMonitorMetricSource
{
    private const long MicrosPerMinute = 60_000_000L;

    internal readonly record struct Row(long StartUs, string Kind, string? Name, string? Model, bool Error, double? DurationMs, long Tokens, double Cost);

    public async Task<IReadOnlyList<MonitorReading>> ReadAsync(string projectId, IReadOnlyList<MonitorQuery> queries, long nowUs, CancellationToken ct = default)
    {
        if (queries.Count == 0) return [];
        var fromUs = nowUs - queries.Max(q => q.LookbackMinutes) * MicrosPerMinute;
        var kinds = queries.Select(q => q.SpanKind).Distinct().ToList();
        var onlyKind = kinds.Count == 1 ? kinds[0] : null;
        var withName = queries.Any(q => q.SpanName is not null);
        var withModel = queries.Any(q => q.Model is not null);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var spans = db.Spans.AsNoTracking().Where(s => s.ProjectId == projectId && s.StartTimeUs >= fromUs && s.StartTimeUs < nowUs);
        if (onlyKind is not null) spans = spans.Where(s => s.Kind == onlyKind);
        var rows = await spans.OrderBy(s => s.StartTimeUs)
            .Select(s => new Row(s.StartTimeUs, s.Kind, withName ? s.Name : null, withModel ? s.Model : null, s.Status == SpanStatus.Error,
                s.DurationMs, (s.InputTokens ?? 0) + (s.OutputTokens ?? 0), s.CostUsd ?? 0))
            .ToListAsync(ct);
        return Measure(rows, queries, nowUs);
    }

    /// <summary>Measures every query over rows sorted by start time (the window is a suffix of them).</summary>
    internal static IReadOnlyList<MonitorReading> Measure(IReadOnlyList<Row> rows, IReadOnlyList<MonitorQuery> queries, long nowUs)
    {
        var results = new MonitorReading[queries.Count];
        // Monitors of the same spans and window share one sorted latency array (p50, p95 and p99 of one group sort once).
        var sortedLatencies = new Dictionary<(string?, string?, string?, int), double[]>();
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var windowStartUs = nowUs - q.WindowMinutes * MicrosPerMinute;
            long count = 0, errors = 0, tokens = 0;
            double cost = 0;
            var latencyKey = (q.SpanKind, q.SpanName, q.Model, q.WindowMinutes);
            var latencies = MonitorMetric.IsLatency(q.Metric) && !sortedLatencies.ContainsKey(latencyKey) ? new List<double>() : null;
            for (var r = LowerBound(rows, windowStartUs); r < rows.Count; r++)
            {
                var row = rows[r];
                if (!Matches(q, row)) continue;
                count++;
                if (row.Error) errors++;
                tokens += row.Tokens;
                cost += row.Cost;
                if (latencies is not null && row.DurationMs is { } d) latencies.Add(d);
            }
            if (latencies is not null)
            {
                var sorted = latencies.ToArray();
                Array.Sort(sorted);
                sortedLatencies[latencyKey] = sorted;
            }
            var hours = q.WindowMinutes / 60.0;
            double? value = q.Metric switch
            {
                MonitorMetric.ErrorRate => count == 0 ? null : (double)errors / count,
                MonitorMetric.CostPerHour => cost / hours,
                MonitorMetric.TokensPerHour => tokens / hours,
                MonitorMetric.SpanCount => count,
                _ when MonitorMetric.IsLatency(q.Metric) => sortedLatencies[latencyKey] is { Length: > 0 } s ? Psi.QuantileOfSorted(s, MonitorMetric.Quantile(q.Metric)) : null,
                _ => null,
            };
            var noData = false;
            if (q.NoDataMinutes is { } n)
            {
                noData = true;
                var recentUs = nowUs - n * MicrosPerMinute;
                for (var r = rows.Count - 1; r >= 0 && rows[r].StartUs >= recentUs; r--)
                    if (Matches(q, rows[r])) { noData = false; break; }
            }
            results[i] = new MonitorReading(value, count, noData);
        }
        return results;
    }

    private static bool Matches(MonitorQuery q, in Row row) =>
        (q.SpanKind is null || q.SpanKind == row.Kind)
        && (q.SpanName is null || q.SpanName == row.Name)
        && (q.Model is null || q.Model == row.Model);

    /// <summary>First index whose start is at or after <paramref name="startUs"/>.</summary>
    private static int LowerBound(IReadOnlyList<Row> rows, long startUs)
    {
        int lo = 0, hi = rows.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (rows[mid].StartUs < startUs) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
