using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Storage;

namespace Vigil.Core.Retention;

/// <summary>
/// Deletes whole traces in small batches (<see cref="IHistoryStore.DeleteTracesAsync"/>, one transaction each, under the
/// write gate), sizing each batch from the time the last one took so that none holds the writer much longer than
/// <see cref="RetentionOptions.BatchMilliseconds"/>; then gives the space back in steps of the same size.
/// </summary>
internal sealed class HistoryDeleter(IHistoryStore store, WriteGate gate, IOptions<RetentionOptions> options, ILogger<HistoryDeleter> logger)
{
    private const int FirstBatch = 32;
    private const int MaxBatch = 4096;

    /// <param name="nextBatch">Up to n trace row ids to delete next; empty when done.</param>
    /// <param name="progress">Called with the traces deleted so far after every batch.</param>
    public async Task<RetentionResult> DeleteAsync(string projectId, Func<int, CancellationToken, Task<IReadOnlyList<long>>> nextBatch,
        Action<long>? progress, CancellationToken ct)
    {
        var target = options.Value.BatchMilliseconds;
        var size = FirstBatch;
        long traces = 0, spans = 0, batches = 0;
        var longest = 0.0;
        while (true)
        {
            var ids = await nextBatch(size, ct);
            if (ids.Count == 0) break;
            (int Traces, int Spans) done;
            double ms;
            using (await gate.EnterAsync(ct))
            {
                var sw = Stopwatch.StartNew();
                done = await store.DeleteTracesAsync(projectId, ids, ct);
                ms = sw.Elapsed.TotalMilliseconds;
            }
            traces += done.Traces;
            spans += done.Spans;
            batches++;
            longest = Math.Max(longest, ms);
            progress?.Invoke(traces);
            if (done.Traces == 0) break; // nothing of what was picked could be deleted (gone meanwhile): pick again later
            size = ms > target ? Math.Max(1, (int)(size * target / ms)) : ms < target / 2.0 ? Math.Min(MaxBatch, size * 2) : size;
        }
        if (traces > 0)
            logger.LogInformation("Deleted {Traces} traces ({Spans} spans) of {ProjectId} in {Batches} batches (longest {Longest:0} ms)",
                traces, spans, projectId, batches, longest);
        return new RetentionResult(traces, spans);
    }

    /// <summary>Gives free pages back to the file system in steps that each hold the writer about as long as a batch.</summary>
    public async Task ReclaimAsync(CancellationToken ct)
    {
        var pages = 256;
        var target = options.Value.BatchMilliseconds;
        while (true)
        {
            long left;
            double ms;
            using (await gate.EnterAsync(ct))
            {
                var sw = Stopwatch.StartNew();
                left = await store.ReclaimAsync(pages, ct);
                ms = sw.Elapsed.TotalMilliseconds;
            }
            if (left <= 0) return;
            pages = ms > target ? Math.Max(16, (int)(pages * target / ms)) : ms < target / 2.0 ? Math.Min(65_536, pages * 2) : pages;
        }
    }
}
