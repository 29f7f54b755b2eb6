using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;

namespace Vigil.Core.Replay;

/// <summary>
/// Claims confirmed runs from the database queue (<see cref="IReplayClaims"/>) one at a time and runs them: the provider
/// calls dominate, and parallel runs on one instance would only contend for the single SQLite writer. With several
/// instances each runs one at a time, every run on exactly one instance. The worker looks when a run is confirmed here
/// and otherwise every <see cref="ReplayOptions.PollSeconds"/> (runs confirmed elsewhere, leases that ran out). A failing
/// run is caught and stored as failed; the worker carries on with the next.
/// </summary>
public sealed class ReplayWorker(
    ReplayQueue queue,
    ReplayExecutor executor,
    IReplayClaims claims,
    ReplayLeases leases,
    ClusterInstance instance,
    IOptions<ReplayOptions> options,
    TimeProvider time,
    ILogger<ReplayWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!instance.Clustered)
        {
            try { await leases.FailInterruptedAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database not yet migrated (first start) has nothing to recover.
                logger.LogWarning(e, "Could not recover replay runs left over from a previous start");
            }
        }

        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            string? runId = null;
            try
            {
                if (instance.Clustered) await leases.TakeOverExpiredAsync(stoppingToken);
                var nowUs = UnixMicros.Now(time);
                runId = await claims.ClaimNextAsync(leases.Owner, nowUs, leases.LeaseUntilUs(nowUs), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not look for replay runs; retrying in {Seconds} s", poll.TotalSeconds);
            }
            if (runId is null)
            {
                await queue.WaitAsync(poll, time, stoppingToken);
                continue;
            }
            try { await executor.ExecuteAsync(runId, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogError(e, "Replay {RunId} could not be executed", runId); }
        }
    }
}
