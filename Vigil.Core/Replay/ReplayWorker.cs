using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Replay;

/// <summary>
/// Drains the replay queue one run at a time (the provider calls dominate; parallel runs would only contend for the
/// single SQLite writer). A failing run is caught and stored as failed; the worker carries on with the next.
/// </summary>
public sealed class ReplayWorker(
    ReplayQueue queue,
    ReplayExecutor executor,
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    TimeProvider time,
    ILogger<ReplayWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try { await RecoverAsync(stoppingToken); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database not yet migrated (first start) has nothing to recover.
            logger.LogWarning(e, "Could not recover replay runs left over from a previous start");
        }

        await foreach (var runId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try { await executor.ExecuteAsync(runId, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogError(e, "Replay {RunId} could not be executed", runId); }
        }
    }

    /// <summary>Confirmed runs are queued again; runs that were running when the server stopped are failed (their partial work is lost).</summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var nowUs = UnixMicros.Now(time);
        using (await writeGate.EnterAsync(ct))
            await db.ReplayRuns.Where(r => r.Status == ReplayStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, ReplayStatus.Failed)
                .SetProperty(r => r.ErrorMessage, "Interrupted by a server restart.")
                .SetProperty(r => r.UpdatedAtUs, nowUs).SetProperty(r => r.CompletedAtUs, nowUs), ct);
        var confirmed = await db.ReplayRuns.AsNoTracking().Where(r => r.Status == ReplayStatus.Confirmed)
            .OrderBy(r => r.CreatedAtUs).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in confirmed) queue.TryEnqueue(id);
    }
}
