using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;

namespace Vigil.Core.Scores;

/// <summary>The mean of a numeric score over a window, and per bucket over time. Booleans count as 1/0; categories are left out.</summary>
public sealed class ScoreStatsService(IDbContextFactory<VigilDbContext> dbFactory)
{
    public const int MaxBuckets = 2000;

    /// <summary>
    /// The mean of score <paramref name="name"/> recorded in [<paramref name="start"/>, <paramref name="end"/>) in the
    /// project; optionally only scores of spans of a kind, name and/or model (a trace-level score counts as its root span's).
    /// Served by the (project, name, created_at) index. Mean is null when no score matched.
    /// </summary>
    public async Task<ScoreAverage> AverageAsync(string projectId, string name, DateTimeOffset start, DateTimeOffset end,
        string? spanKind = null, string? spanName = null, string? model = null, CancellationToken ct = default)
    {
        long fromUs = UnixMicros.From(start), toUs = UnixMicros.From(end);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scores = db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId && s.Name == name && s.CreatedAtUs >= fromUs && s.CreatedAtUs < toUs);
        IQueryable<double> values;
        if (spanKind is null && spanName is null && model is null) values = scores.Where(s => s.Value != null).Select(s => s.Value!.Value);
        else
        {
            var resolved = ResolvedScore.Of(db, scores);
            if (spanKind is not null) resolved = resolved.Where(r => r.Kind == spanKind);
            if (spanName is not null) resolved = resolved.Where(r => r.SpanName == spanName);
            if (model is not null) resolved = resolved.Where(r => r.Model == model);
            values = resolved.Select(r => r.Value);
        }
        // One group at most; read as a list, since First over a constant grouping makes EF warn (10103) on every call.
        var agg = (await values.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Sum = g.Sum() }).ToListAsync(ct)).FirstOrDefault();
        return agg is null || agg.Count == 0 ? new ScoreAverage(null, 0) : new ScoreAverage(agg.Sum / agg.Count, agg.Count);
    }

    /// <summary>Mean and count of every numeric score name per bucket of <paramref name="bucket"/> in [start, end), names in order.</summary>
    public async Task<IReadOnlyList<ScoreSeries>> SeriesAsync(string projectId, DateTimeOffset start, DateTimeOffset end, TimeSpan bucket, CancellationToken ct = default)
    {
        if (end <= start) throw new ArgumentException("end must be after start", nameof(end));
        if ((end - start) / bucket > MaxBuckets) throw new ArgumentException($"more than {MaxBuckets} buckets", nameof(bucket));
        long fromUs = UnixMicros.From(start), toUs = UnixMicros.From(end), widthUs = bucket.Ticks / 10;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Scores.AsNoTracking()
            .Where(s => s.ProjectId == projectId && s.CreatedAtUs >= fromUs && s.CreatedAtUs < toUs && s.Value != null)
            .GroupBy(s => new { s.Name, Bucket = (s.CreatedAtUs - fromUs) / widthUs })
            .Select(g => new { g.Key.Name, g.Key.Bucket, Count = g.Count(), Sum = g.Sum(s => s.Value!.Value) })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ScoreSeries(g.Key, g.OrderBy(r => r.Bucket)
                .Select(r => new ScorePoint(UnixMicros.ToDateTime(fromUs + r.Bucket * widthUs), r.Sum / r.Count, r.Count)).ToList()))
            .ToList();
    }
}

public sealed record ScoreAverage(double? Mean, int Count);

public sealed record ScoreSeries(string Name, IReadOnlyList<ScorePoint> Points);

public sealed record ScorePoint(DateTime Time, double Mean, int Count);
