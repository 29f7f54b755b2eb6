using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// Monitor metrics from the spans, read incrementally in provider-neutral LINQ and folded into per-minute aggregates
/// (<see cref="MinuteBuckets"/>) kept in memory per project for the longest window its monitors need (at most 24 h):
/// <list type="bullet">
/// <item>the first evaluation reads the window once, through the (project_id, start_time_us) index;</item>
/// <item>each later one reads only (a) spans inserted since the last one (span ids only grow: the primary key) that
/// start inside the kept minutes, (b) the minutes that just left the settle window, and (c) the settle window itself, the
/// last <see cref="AlertingOptions.SettleMinutes"/> minutes, re-read every time because its spans may still be updated
/// (a span sent when it starts and again when it ends).</item>
/// </list>
/// So a minute's evaluation reads about a minute of ingest plus the settle window, whatever the history or the window.
/// Limits, until rollups replace this: a span updated after it left the settle window keeps the values it had then;
/// on a database whose ids do not follow commit order (PostgreSQL with concurrent writers) a span committed behind a
/// later id can be missed by the kept minutes.
/// </summary>
/// <remarks>
/// Rollups: once per-minute rollups (count, errors, tokens, cost and a latency histogram per project, minute, kind and
/// model) are kept at ingest, an <see cref="IMonitorMetricSource"/> that sums the rollup rows of each window replaces
/// this class for every monitor without a span-name filter (rollups do not key on name; those keep reading spans here),
/// registered in <see cref="AlertingServiceCollectionExtensions.AddVigilAlerting"/>.
/// </remarks>
public sealed class SpanWindowMetricSource(IDbContextFactory<VigilDbContext> dbFactory, IOptions<AlertingOptions> options) : IMonitorMetricSource
{
    private const long Minute = MinuteBuckets.MicrosPerMinute;
    private static readonly TimeSpan IdleEviction = TimeSpan.FromHours(2);

    private sealed class ProjectCache
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly MinuteBuckets Buckets = new();
        public long LastUsedUs;
    }

    private readonly ConcurrentDictionary<string, ProjectCache> _caches = new();

    public async Task<IReadOnlyList<MonitorReading>> ReadAsync(string projectId, IReadOnlyList<MonitorQuery> queries, long nowUs, CancellationToken ct = default)
    {
        if (queries.Count == 0) return [];
        Evict(nowUs);
        var cache = _caches.GetOrAdd(projectId, _ => new ProjectCache());
        await cache.Gate.WaitAsync(ct);
        try
        {
            cache.LastUsedUs = nowUs;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var live = await RefreshAsync(db, cache.Buckets, projectId, queries.Max(q => q.LookbackMinutes), nowUs, ct);
            return cache.Buckets.Measure(queries, live, nowUs);
        }
        catch
        {
            cache.Buckets.Clear(); // a half-applied refresh must not be trusted: read everything next time
            throw;
        }
        finally { cache.Gate.Release(); }
    }

    /// <summary>Brings the sealed minutes up to the settle window and answers the settle window's spans.</summary>
    private async Task<List<MinuteBuckets.Row>> RefreshAsync(VigilDbContext db, MinuteBuckets b, string projectId, int lookbackMinutes, long nowUs, CancellationToken ct)
    {
        var needFromUs = MinuteBuckets.Floor(nowUs - lookbackMinutes * Minute);
        var sealToUs = Math.Max(needFromUs, MinuteBuckets.Floor(nowUs - options.Value.SettleMinutes * Minute));
        // The high-water mark first: every sealed read below stops at it, and the next refresh starts after it, so a span
        // inserted meanwhile is folded in exactly once.
        var highWater = await db.Spans.MaxAsync(s => (long?)s.Id, ct) ?? 0;

        if (b.IsEmpty || sealToUs < b.ToUs || needFromUs >= b.ToUs)
        {
            b.Clear();
            foreach (var r in await RowsAsync(db, projectId, needFromUs, sealToUs, 0, highWater, ct)) b.Add(r);
            (b.FromUs, b.ToUs) = (needFromUs, sealToUs);
        }
        else
        {
            if (needFromUs < b.FromUs)
            {
                // A longer window than before: the minutes before the kept ones, as of the previous mark.
                foreach (var r in await RowsAsync(db, projectId, needFromUs, b.FromUs, 0, b.MaxId, ct)) b.Add(r);
                b.FromUs = needFromUs;
            }
            // Spans inserted since the previous refresh that start inside the kept minutes (late or back-filled spans).
            foreach (var r in await RowsAsync(db, projectId, b.FromUs, b.ToUs, b.MaxId, highWater, ct)) b.Add(r);
            // Minutes that left the settle window since: sealed now (their spans were only ever live before).
            if (sealToUs > b.ToUs)
            {
                foreach (var r in await RowsAsync(db, projectId, b.ToUs, sealToUs, 0, highWater, ct)) b.Add(r);
                b.ToUs = sealToUs;
            }
            b.TrimBefore(needFromUs);
        }
        b.MaxId = highWater;
        return await RowsAsync(db, projectId, sealToUs, nowUs, 0, long.MaxValue, ct);
    }

    /// <summary>The project's spans starting in [from, to) with an id in (afterId, upToId], oldest first: only the typed columns.</summary>
    private static Task<List<MinuteBuckets.Row>> RowsAsync(VigilDbContext db, string projectId, long fromUs, long toUs, long afterId, long upToId, CancellationToken ct)
    {
        var q = db.Spans.AsNoTracking().Where(s => s.ProjectId == projectId && s.StartTimeUs >= fromUs && s.StartTimeUs < toUs);
        if (afterId > 0) q = q.Where(s => s.Id > afterId);
        if (upToId < long.MaxValue) q = q.Where(s => s.Id <= upToId);
        return q.Select(s => new MinuteBuckets.Row(s.Id, s.StartTimeUs, s.Kind, s.Name, s.Model, s.Status == SpanStatus.Error, s.DurationMs,
                (s.InputTokens ?? 0) + (s.OutputTokens ?? 0), s.CostUsd ?? 0))
            .ToListAsync(ct);
    }

    private void Evict(long nowUs)
    {
        var cutoff = nowUs - (long)IdleEviction.TotalMicroseconds;
        foreach (var (id, cache) in _caches)
            if (cache.LastUsedUs < cutoff && cache.Gate.CurrentCount == 1) _caches.TryRemove(id, out _);
    }
}
