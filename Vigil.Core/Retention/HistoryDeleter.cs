using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;

namespace Vigil.Core.Retention;

/// <summary>
/// Deletes whole traces in small batches (<see cref="IHistoryStore.DeleteTracesAsync"/>, one transaction each, under the
/// write gate), sizing each batch from the time the last one took so that none holds the writer much longer than
/// <see cref="RetentionOptions.BatchMilliseconds"/>; then compacts the text index after a large deletion and gives the
/// space back, in steps of the same size.
/// </summary>
internal sealed class HistoryDeleter(IHistoryStore store, WriteGate gate, IDbContextFactory<VigilDbContext> dbFactory, IOptions<RetentionOptions> options,
    IndexMergePause mergePause, ILogger<HistoryDeleter> logger)
{
    /// <summary>
    /// The text index is compacted after a pass that deleted at least this share of the spans left: it rewrites the whole
    /// index, so a daily trim of a few percent leaves its tombstones to the index's own merges instead.
    /// </summary>
    public const double CompactAfterShare = 0.05;

    private const int FirstBatch = 32;
    private const int MaxBatch = 4096;

    /// <param name="nextBatch">Up to n trace row ids to delete next; empty when done.</param>
    /// <param name="progress">Called with the traces deleted so far after every batch.</param>
    public async Task<RetentionResult> DeleteAsync(string projectId, Func<int, CancellationToken, Task<IReadOnlyList<long>>> nextBatch,
        Action<long>? progress, CancellationToken ct)
    {
        using var paused = mergePause.Hold();
        var size = FirstBatch;
        long traces = 0, spans = 0, batches = 0;
        var longest = 0.0;
        while (true)
        {
            var ids = await nextBatch(size, ct);
            if (ids.Count == 0) break;
            var (done, ms) = await UnderGateAsync("deletion", () => store.DeleteTracesAsync(projectId, ids, ct), ct);
            traces += done.Traces;
            spans += done.Spans;
            batches++;
            longest = Math.Max(longest, ms);
            progress?.Invoke(traces);
            if (done.Traces == 0) break; // nothing of what was picked could be deleted (gone meanwhile): pick again later
            size = Resize(size, ms, 1, MaxBatch);
        }
        if (traces > 0)
            logger.LogInformation("Deleted {Traces} traces ({Spans} spans) of {ProjectId} in {Batches} batches (longest {Longest:0} ms)",
                traces, spans, projectId, batches, longest);
        return new RetentionResult(traces, spans);
    }

    /// <summary>
    /// After a pass that deleted <paramref name="deletedSpans"/>: compacts the text index when that was a large share of
    /// the history, then gives free pages back to the file system; every step holds the writer about as long as a batch.
    /// </summary>
    public async Task ReclaimAsync(long deletedSpans, CancellationToken ct)
    {
        using var paused = mergePause.Hold();
        if (deletedSpans > 0 && deletedSpans >= CompactAfterShare * await SpansLeftAsync(ct) && await store.IndexPagesAsync(ct) is > 0 and var indexPages
            && !TooLargeToCompact(indexPages, deletedSpans))
        {
            // Rewriting the index touches each of its pages about once; ingest keeps adding small segments meanwhile, so
            // the steps stop at twice the index's size even if some merge work remains (the index's own merges take it).
            var sw = Stopwatch.StartNew();
            var (work, steps, worked) = (64, 0, 0L);
            while (worked < 2 * indexPages)
            {
                var first = steps == 0;
                var (more, ms) = await UnderGateAsync("index compaction", () => store.CompactIndexAsync(work, first, ct), ct);
                steps++;
                worked += work;
                if (!more) break;
                work = Resize(work, ms, 8, 4096);
            }
            logger.LogInformation("Compacted the text index ({Pages} pages) after deleting {Spans} spans: {Steps} steps, {Seconds:0.0} s",
                indexPages, deletedSpans, steps, sw.Elapsed.TotalSeconds);
        }

        var pages = 256;
        while (true)
        {
            var (left, ms) = await UnderGateAsync("vacuum", () => store.ReclaimAsync(pages, ct), ct);
            if (left <= 0) return;
            pages = Resize(pages, ms, 16, 65_536);
        }
    }

    /// <summary>Whether the text index is past <see cref="RetentionOptions.MaxCompactedIndexMegabytes"/> (FTS5 pages hold ~4 KB).</summary>
    private bool TooLargeToCompact(long indexPages, long deletedSpans)
    {
        var bytes = indexPages * 4050;
        if (bytes <= options.Value.MaxCompactedIndexMegabytes * 1_000_000L) return false;
        logger.LogInformation("Not compacting the text index ({Megabytes:N0} MB, over Vigil:Retention:MaxCompactedIndexMegabytes) after deleting {Spans} spans: its own merges drop the deleted rows over time",
            bytes / 1_000_000, deletedSpans);
        return true;
    }

    /// <summary>One step holding the write gate, and how long it held it; a step far over its budget is logged.</summary>
    private async Task<(T Result, double Ms)> UnderGateAsync<T>(string name, Func<Task<T>> step, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            var sw = Stopwatch.StartNew();
            var result = await step();
            var ms = sw.Elapsed.TotalMilliseconds;
            if (ms > 5 * options.Value.BatchMilliseconds)
                logger.LogWarning("One {Step} step held the ingest writer for {Ms:0} ms (budget {Budget} ms)", name, ms, options.Value.BatchMilliseconds);
            return (result, ms);
        }
    }

    private int Resize(int size, double ms, int min, int max) => StepSize.Next(size, ms, options.Value.BatchMilliseconds, min, max);

    private async Task<long> SpansLeftAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProjectCounts.SumAsync(c => c.Spans, ct);
    }
}
