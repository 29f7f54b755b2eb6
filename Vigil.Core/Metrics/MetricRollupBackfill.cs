using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Core.Metrics;

/// <summary>
/// One time, on a database written by a Vigil without rollups (traces exist, project counts do not): computes the metric
/// rollups and project counts from the stored spans, a day of one project at a time (memory stays bounded), before
/// ingest starts.
/// </summary>
internal static class MetricRollupBackfill
{
    public static async Task RunAsync(VigilDbContext db, ILogger logger, CancellationToken ct)
    {
        if (await db.ProjectCounts.AnyAsync(ct) || !await db.Traces.AnyAsync(ct)) return;
        var spans = await db.Spans.LongCountAsync(ct);
        logger.LogInformation("Computing metric rollups for the {Spans} stored spans (one time, after the upgrade)", spans);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var traces = await db.Traces.GroupBy(t => t.ProjectId).Select(g => new { ProjectId = g.Key, Count = g.LongCount() }).ToListAsync(ct);
        foreach (var p in traces)
        {
            var deltas = new RollupDeltas();
            long count = 0, day = long.MinValue;
            var rows = db.Spans.AsNoTracking().Where(s => s.ProjectId == p.ProjectId).OrderBy(s => s.StartTimeUs)
                .Select(s => new { s.StartTimeUs, s.EndTimeUs, s.Kind, s.Model, s.Status, s.InputTokens, s.OutputTokens, s.CostUsd })
                .AsAsyncEnumerable();
            await foreach (var s in rows.WithCancellation(ct))
            {
                var d = SpanContribution.Floor(s.StartTimeUs, 86_400);
                if (d != day) { await FlushAsync(db, deltas, ct); day = d; }
                deltas.Add(new SpanContribution(p.ProjectId, s.StartTimeUs, s.EndTimeUs, s.Kind, s.Model, s.Status, s.InputTokens, s.OutputTokens, s.CostUsd), 1);
                count++;
            }
            await FlushAsync(db, deltas, ct);
            db.ProjectCounts.Add(new ProjectCount { ProjectId = p.ProjectId, Traces = p.Count, Spans = count });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        logger.LogInformation("Metric rollups for {Spans} spans of {Projects} project(s) computed in {Seconds:0.0} s", spans, traces.Count, sw.Elapsed.TotalSeconds);
    }

    private static async Task FlushAsync(VigilDbContext db, RollupDeltas deltas, CancellationToken ct)
    {
        foreach (var (key, sums) in deltas.Rows())
        {
            var row = new MetricRollup { ProjectId = key.ProjectId, BucketSeconds = key.BucketSeconds, BucketStartUs = key.BucketStartUs, Kind = key.Kind, Model = key.Model };
            sums.AddTo(row);
            db.MetricRollups.Add(row);
        }
        deltas.Clear();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
