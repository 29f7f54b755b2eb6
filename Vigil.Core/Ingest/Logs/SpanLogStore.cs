using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Ingest.Logs;

/// <summary>
/// Ties log records to their spans whichever arrives first, with EF Core only (no provider-specific SQL):
/// <list type="bullet">
/// <item>log ingest accumulates each span's content in <see cref="PendingSpanLog"/> and folds it into the span when the
/// span is stored already;</item>
/// <item>span ingest, after its commit, folds the pending content of the spans it just wrote;</item>
/// <item>a sweep (<see cref="SpanLogSweeper"/>) expires rows <see cref="IngestOptions.PendingLogMinutes"/> after their last
/// update and folds rows whose span arrived without being folded (a race between two writers or instances).</item>
/// </list>
/// Every write runs under the <see cref="WriteGate"/>, so "is the span there?" and "remember the logs" cannot interleave
/// with the span's own commit on a single writer.
/// </summary>
public sealed class SpanLogStore(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    ITraceSearch search,
    TimeProvider time,
    IOptions<IngestOptions> options,
    ILogger<SpanLogStore> logger)
{
    private const int SweepFoldLimit = 500;

    // A hint for span ingest, which asks after every batch: false once a sweep saw no pending rows and none was added since.
    private volatile bool _mayHaveRows = true;

    /// <summary>Stores the content of a logs request; answers how many stored spans it changed.</summary>
    internal async Task<int> AddAsync(string projectId, SpanLogBatch batch, CancellationToken ct)
    {
        if (batch.Order.Count == 0) return 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAddAsync(projectId, batch, ct);
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                // Where the gate admits several writers (PostgreSQL), another request may have created the same span's
                // row in the meantime (unique key): read again and merge into it.
                logger.LogDebug(ex, "Storing span logs of {ProjectId} collided with another writer; attempt {Attempt}", projectId, attempt + 1);
            }
        }
    }

    private async Task<int> TryAddAsync(string projectId, SpanLogBatch batch, CancellationToken ct)
    {
        var traceIds = batch.Order.Select(k => k.TraceId).Distinct().ToList();
        var spanIds = batch.Order.Select(k => k.SpanId).Distinct().ToList();
        var nowUs = UnixMicros.Now(time);
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = (await db.PendingSpanLogs
                    .Where(p => p.ProjectId == projectId && traceIds.Contains(p.TraceId) && spanIds.Contains(p.SpanId))
                    .ToListAsync(ct))
                .ToDictionary(p => (p.TraceId, p.SpanId));
            var spans = await SpansAsync(db, projectId, traceIds, spanIds, ct);
            var changed = new List<long>();
            foreach (var key in batch.Order)
            {
                var content = batch.Spans[key];
                if (rows.TryGetValue(key, out var row))
                {
                    var stored = SpanLogContent.FromJson(row.Payload);
                    stored.Add(content);
                    content = stored;
                }
                else
                {
                    row = new PendingSpanLog { ProjectId = projectId, TraceId = key.TraceId, SpanId = key.SpanId, Payload = "", CreatedAtUs = nowUs };
                    db.PendingSpanLogs.Add(row);
                }
                row.Payload = content.ToJson();
                row.UpdatedAtUs = nowUs;
                if (spans.TryGetValue(key, out var span))
                {
                    if (SpanLogMerge.Apply(span, content, options.Value.MaxFieldBytes)) changed.Add(span.Id);
                    row.AppliedAtUs = nowUs;
                }
            }
            _mayHaveRows = true;
            await SaveAsync(db, changed, ct);
            logger.LogDebug("Logs for {SpanCount} spans of {ProjectId}: {Changed} stored spans updated, the rest wait for their span",
                batch.Order.Count, projectId, changed.Count);
            return changed.Count;
        }
    }

    /// <summary>After span ingest committed <paramref name="spans"/>: folds in what logs said about them before they arrived.</summary>
    internal async Task FoldAsync(string projectId, IReadOnlyList<PreparedSpan> spans, CancellationToken ct)
    {
        if (!_mayHaveRows || spans.Count == 0) return;
        var traceIds = spans.Select(s => s.TraceId).Distinct().ToList();
        var spanIds = spans.Select(s => s.Input.SpanId!).Distinct().ToList();
        // Read outside the gate: a log request that stored its row before this batch's commit committed before it (both
        // write under the gate), so it is visible here; one that comes later finds the span itself.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.PendingSpanLogs.AnyAsync(p => p.ProjectId == projectId && traceIds.Contains(p.TraceId) && spanIds.Contains(p.SpanId), ct))
                return;
        }
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = await db.PendingSpanLogs
                .Where(p => p.ProjectId == projectId && traceIds.Contains(p.TraceId) && spanIds.Contains(p.SpanId))
                .ToListAsync(ct);
            var changed = new List<long>();
            var folded = await FoldRowsAsync(db, projectId, rows, changed, ct);
            await SaveAsync(db, changed, ct);
            if (folded > 0) logger.LogDebug("Folded logs that arrived first into {Count} spans of {ProjectId}", folded, projectId);
        }
    }

    /// <summary>Deletes expired rows and folds rows whose span is stored but which were never folded. Answers (expired, folded).</summary>
    internal async Task<(int Expired, int Folded)> SweepAsync(CancellationToken ct)
    {
        var cutoff = UnixMicros.Now(time) - (long)options.Value.PendingLogMinutes * 60_000_000;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var expired = await db.PendingSpanLogs.Where(p => p.UpdatedAtUs < cutoff).ExecuteDeleteAsync(ct);
            var folded = 0;
            var changed = new List<long>();
            var unapplied = await db.PendingSpanLogs.Where(p => p.AppliedAtUs == null).OrderBy(p => p.Id).Take(SweepFoldLimit).ToListAsync(ct);
            foreach (var project in unapplied.GroupBy(p => p.ProjectId))
                folded += await FoldRowsAsync(db, project.Key, project.ToList(), changed, ct);
            await SaveAsync(db, changed, ct);
            _mayHaveRows = await db.PendingSpanLogs.AnyAsync(ct);
            return (expired, folded);
        }
    }

    /// <summary>Saves the changes and re-indexes the changed spans' text in one transaction, so a search never sees one without the other.</summary>
    private async Task SaveAsync(VigilDbContext db, List<long> changedSpans, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await search.ReindexSpansAsync(db, changedSpans, ct);
        await tx.CommitAsync(ct);
    }

    private async Task<int> FoldRowsAsync(VigilDbContext db, string projectId, List<PendingSpanLog> rows, List<long> changed, CancellationToken ct)
    {
        if (rows.Count == 0) return 0;
        var spans = await SpansAsync(db, projectId, rows.Select(r => r.TraceId).Distinct().ToList(), rows.Select(r => r.SpanId).Distinct().ToList(), ct);
        var nowUs = UnixMicros.Now(time);
        var folded = 0;
        foreach (var row in rows)
        {
            if (!spans.TryGetValue((row.TraceId, row.SpanId), out var span)) continue;
            if (SpanLogMerge.Apply(span, SpanLogContent.FromJson(row.Payload), options.Value.MaxFieldBytes)) changed.Add(span.Id);
            row.AppliedAtUs = nowUs;
            folded++;
        }
        return folded;
    }

    /// <summary>The stored spans among (trace ids × span ids), tracked for update; found through the traces' (project, trace id) key.</summary>
    private static async Task<Dictionary<(string, string), SpanRecord>> SpansAsync(
        VigilDbContext db, string projectId, List<string> traceIds, List<string> spanIds, CancellationToken ct)
    {
        var spans = await (
                from t in db.Traces
                where t.ProjectId == projectId && traceIds.Contains(t.TraceId)
                join s in db.Spans on t.Id equals s.TracePk
                where spanIds.Contains(s.SpanId)
                select s)
            .ToListAsync(ct);
        return spans.ToDictionary(s => (s.TraceId, s.SpanId));
    }
}
