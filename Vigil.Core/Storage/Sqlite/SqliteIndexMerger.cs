using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Ingest;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Merges the full-text index's segments in the background, in short steps under the write gate. FTS5 would otherwise
/// merge inside the ingest transaction that completes a level ('automerge', off since migration FtsBackgroundMerge): as
/// the index grew, one commit in a few hundred took 0.9–1.3 s at 2,500 spans/s, the soak's ingest and live-feed tail.
/// If this stops, FTS5's own crisis merge (64 segments on a level, migration FtsCrisisMerge) still bounds the index in
/// the writer. It waits while the history deleter runs (<see cref="IndexMergePause"/>), and gives way to ingest while
/// the index is still compact (<see cref="GivesWayAsync"/>).
/// </summary>
internal sealed class SqliteIndexMerger(IHistoryStore store, WriteGate gate, IndexMergePause pause, IngestPipeline ingest,
    IDbContextFactory<VigilDbContext> dbFactory, TimeProvider time, ILogger<SqliteIndexMerger> logger) : BackgroundService
{
    /// <summary>
    /// Segments of the span text index up to which merging gives way to waiting ingest. Steps back to back halved ingest
    /// with ~1 KB texts on 2 cores (4,100 against 7,500 spans/s). Past this, merging insists again, so no level of the
    /// index fills up to FTS5's crisis merge (64), which would merge a whole level inside one ingest commit.
    /// </summary>
    internal const int SegmentsBeforeInsisting = 32;

    /// <summary>The pause while it gives way to ingest.</summary>
    internal static readonly TimeSpan Yield = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one step aims to hold the writer; steps grow or shrink to stay near it.</summary>
    internal static readonly TimeSpan StepBudget = TimeSpan.FromMilliseconds(25);

    /// <summary>The pause when no level has enough segments to merge.</summary>
    internal static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pages = 64;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                if (pause.IsPaused)
                {
                    await Task.Delay(Idle, time, stoppingToken);
                    continue;
                }
                if (await GivesWayAsync(stoppingToken))
                {
                    await Task.Delay(Yield, time, stoppingToken);
                    continue;
                }
                var (more, elapsed) = await StepAsync(pages, stoppingToken);
                pages = StepSize.Next(pages, elapsed.TotalMilliseconds, StepBudget.TotalMilliseconds, 8, 4096);
                wait = more ? TimeSpan.Zero : Idle;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                // A failed step (e.g. a full disk) changes nothing; the writer's crisis merges keep the index bounded.
                logger.LogWarning(ex, "A background merge of the text index failed; the next one is in a minute");
                wait = TimeSpan.FromMinutes(1);
            }
            if (wait == TimeSpan.Zero) continue;
            try { await Task.Delay(wait, time, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Whether merging waits: batches are waiting for the writer and the span text index has few segments.</summary>
    internal async Task<bool> GivesWayAsync(CancellationToken ct) =>
        ingest.Waiting > 0 && await SegmentsAsync(ct) <= SegmentsBeforeInsisting;

    /// <summary>The span text index's segments, counted by one index seek each (up to one past the threshold).</summary>
    internal async Task<long> SegmentsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        cmd.CommandText = $"""
            WITH RECURSIVE seg(id) AS (
                SELECT min(segid) FROM spans_fts_idx
                UNION ALL SELECT (SELECT min(segid) FROM spans_fts_idx WHERE segid > seg.id) FROM seg WHERE seg.id IS NOT NULL)
            SELECT count(*) FROM (SELECT id FROM seg WHERE id IS NOT NULL LIMIT {SegmentsBeforeInsisting + 1})
            """;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One merge step of about <paramref name="pages"/> pages; whether a level still had work, and how long the writer was held.</summary>
    internal async Task<(bool More, TimeSpan Elapsed)> StepAsync(int pages, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            var start = Stopwatch.GetTimestamp();
            // A positive 'merge' continues a merge in progress, else merges a level holding 'usermerge' (4) segments.
            var more = await store.CompactIndexAsync(pages, first: false, ct);
            return (more, Stopwatch.GetElapsedTime(start));
        }
    }
}
