using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Core.Replay;

/// <summary>The instance running a replay no longer holds its lease: another instance took the run over or failed it.</summary>
public sealed class ReplayLeaseLostException(string runId) : Exception($"This instance no longer holds the lease of replay {runId}.");

/// <summary>
/// Claims on running replays. The instance that claimed a run (see <see cref="IReplayClaims"/>) renews its lease while it
/// works; every instance's worker looks for leases that ran out (the owner died or lost the database) and either starts
/// the run again (<see cref="ReplayOptions.MaxAttempts"/>) or fails it with a message that says why. Every write of a
/// running run checks the lease, so a run is never worked on by two instances at once.
/// </summary>
public sealed class ReplayLeases(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    ClusterInstance instance,
    ReplayQueue queue,
    INotificationSink notifications,
    LiveFeed liveFeed,
    IOptions<ReplayOptions> options,
    TimeProvider time,
    ILogger<ReplayLeases> logger)
{
    public string Owner => instance.Id;

    public long LeaseUntilUs(long nowUs) => nowUs + options.Value.LeaseSeconds * 1_000_000L;

    /// <summary>Extends this instance's lease; false when it no longer holds it.</summary>
    public async Task<bool> RenewAsync(string runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var until = LeaseUntilUs(UnixMicros.Now(time));
        using var _ = await writeGate.EnterAsync(ct);
        return await db.ReplayRuns.Where(r => r.Id == runId && r.Status == ReplayStatus.Running && r.LeaseOwner == instance.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAtUs, until), ct) == 1;
    }

    /// <summary>
    /// Renews the lease every third of it until <paramref name="ct"/>; cancels <paramref name="lost"/> when the lease is
    /// gone, or when renewals kept failing for most of its length (the database is out of reach: stop before another
    /// instance takes over).
    /// </summary>
    public async Task KeepAliveAsync(string runId, CancellationTokenSource lost, CancellationToken ct)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var lastRenewed = time.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(lease / 3, time, ct); }
            catch (OperationCanceledException) { return; }
            try
            {
                if (!await RenewAsync(runId, ct))
                {
                    logger.LogWarning("Replay {RunId}: this instance's lease was taken over; stopping", runId);
                    await lost.CancelAsync();
                    return;
                }
                lastRenewed = time.GetTimestamp();
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (time.GetElapsedTime(lastRenewed) < lease * 0.8)
                {
                    logger.LogWarning(e, "Replay {RunId}: could not renew the lease; retrying", runId);
                    continue;
                }
                logger.LogError(e, "Replay {RunId}: the lease could not be renewed before it ran out; stopping so another instance can take over", runId);
                await lost.CancelAsync();
                return;
            }
        }
    }

    public async Task<bool> CancelRequestedAsync(string runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ReplayRuns.AnyAsync(r => r.Id == runId && r.CancelRequested, ct);
    }

    /// <summary>Stopping mid-run: the lease ends now, so another instance takes over at its next look.</summary>
    public async Task ReleaseAsync(string runId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            using var _ = await writeGate.EnterAsync(CancellationToken.None);
            await db.ReplayRuns.Where(r => r.Id == runId && r.Status == ReplayStatus.Running && r.LeaseOwner == instance.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAtUs, 0L));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Replay {RunId}: could not give up the lease on stop; it runs out by itself", runId);
        }
    }

    /// <summary>One instance (no Redis): whatever was running belonged to the previous process, which is gone.</summary>
    public async Task FailInterruptedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var nowUs = UnixMicros.Now(time);
        using (await writeGate.EnterAsync(ct))
            await db.ReplayRuns.Where(r => r.Status == ReplayStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, ReplayStatus.Failed)
                .SetProperty(r => r.ErrorMessage, "Interrupted by a server restart.")
                .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAtUs, (long?)null)
                .SetProperty(r => r.UpdatedAtUs, nowUs).SetProperty(r => r.CompletedAtUs, nowUs), ct);
    }

    /// <summary>Several instances: runs whose lease ran out are started again (attempts left) or failed.</summary>
    public async Task TakeOverExpiredAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var nowUs = UnixMicros.Now(time);
        var expired = await db.ReplayRuns.AsNoTracking()
            .Where(r => r.Status == ReplayStatus.Running && (r.LeaseExpiresAtUs == null || r.LeaseExpiresAtUs < nowUs))
            .ToListAsync(ct);
        foreach (var run in expired)
        {
            var retry = run.Attempts < options.Value.MaxAttempts;
            var error = retry ? null
                : $"The instance running this replay ({run.LeaseOwner ?? "unknown"}) stopped renewing its claim, so the run was failed " +
                  $"after its {options.Value.LeaseSeconds} s lease ran out ({run.CompletedSpans} of {run.LlmSpansCount} LLM spans were done; " +
                  "their provider calls may have been billed). Start a new replay to run it again.";
            int changed;
            using (await writeGate.EnterAsync(ct))
                changed = await db.ReplayRuns
                    // Only the claim we saw: if its owner renewed meanwhile, or another instance got here first, nothing changes.
                    .Where(r => r.Id == run.Id && r.Status == ReplayStatus.Running && r.LeaseOwner == run.LeaseOwner && r.LeaseExpiresAtUs == run.LeaseExpiresAtUs)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Status, retry ? ReplayStatus.Confirmed : ReplayStatus.Failed)
                        .SetProperty(r => r.ErrorMessage, error)
                        .SetProperty(r => r.CompletedSpans, retry ? 0 : run.CompletedSpans)
                        .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAtUs, (long?)null)
                        .SetProperty(r => r.UpdatedAtUs, nowUs).SetProperty(r => r.CompletedAtUs, retry ? null : nowUs), ct);
            if (changed == 0) continue;
            run.Status = retry ? ReplayStatus.Confirmed : ReplayStatus.Failed;
            run.ErrorMessage = error;
            if (retry) run.CompletedSpans = 0;
            liveFeed.Publish(new ReplayStatusEvent(run.ProjectId, run.Id, run.OriginalTraceId, run.Status, run.CompletedSpans, run.LlmSpansCount,
                run.ResultTraceId, null, run.ErrorMessage));
            if (retry)
            {
                logger.LogWarning("Replay {RunId}: the lease of {Owner} ran out; queued again (attempt {Next} of {Max})",
                    run.Id, run.LeaseOwner, run.Attempts + 1, options.Value.MaxAttempts);
                queue.Wake();
                continue;
            }
            logger.LogWarning("Replay {RunId}: the lease of {Owner} ran out after {Attempts} attempt(s); failed", run.Id, run.LeaseOwner, run.Attempts);
            try
            {
                await notifications.NotifyAsync(run.ProjectId, NotificationType.ReplayFailed, $"Replay of trace {run.OriginalTraceId} failed", error, run.Id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not notify about replay {RunId}", run.Id);
            }
        }
    }
}
