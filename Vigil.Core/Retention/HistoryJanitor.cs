using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;

namespace Vigil.Core.Retention;

/// <summary>
/// The background deleter: project deletions as soon as they are requested (and those a restart interrupted), and every
/// project's retention every <see cref="RetentionOptions.IntervalMinutes"/>. A deletion runs where it was requested;
/// with several instances the retention pass runs on the holder of the <see cref="Duty"/> lock only.
/// </summary>
internal sealed class HistoryJanitor(RetentionService retention, ProjectDeletionService deletions, IClusterLocks locks,
    IOptions<RetentionOptions> options, TimeProvider time, ILogger<HistoryJanitor> logger) : BackgroundService
{
    public const string Duty = "vigil:retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var leader = new ClusterLeader(locks, Duty, logger);
        var interval = TimeSpan.FromMinutes(options.Value.IntervalMinutes);
        var nextRetention = time.GetUtcNow() + TimeSpan.FromMinutes(1); // let start-up settle first
        await DeleteProjectsAsync(await Safe(() => deletions.PendingAsync(stoppingToken), []), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = nextRetention - time.GetUtcNow();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                if (wait > TimeSpan.Zero) timeout.CancelAfter(wait);
                try
                {
                    if (wait > TimeSpan.Zero && await deletions.Requests.WaitToReadAsync(timeout.Token))
                    {
                        var requested = new List<string>();
                        while (deletions.Requests.TryRead(out var id)) if (!requested.Contains(id)) requested.Add(id);
                        await DeleteProjectsAsync(requested, stoppingToken);
                        continue;
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            }
            if (stoppingToken.IsCancellationRequested) break;
            if (await leader.TryLeadAsync(stoppingToken))
                foreach (var projectId in await Safe(() => retention.ProjectsWithRetentionAsync(stoppingToken), []))
                    await Safe(async () => { await retention.RunAsync(projectId, stoppingToken); return 0; }, 0);
            nextRetention = time.GetUtcNow() + interval;
        }
    }

    private async Task DeleteProjectsAsync(List<string> projectIds, CancellationToken ct)
    {
        foreach (var id in projectIds) await Safe(async () => { await deletions.RunAsync(id, ct); return 0; }, 0);
    }

    private async Task<T> Safe<T>(Func<Task<T>> work, T fallback)
    {
        try { return await work(); }
        catch (OperationCanceledException) { throw; }
        catch (Exception ex)
        {
            logger.LogError(ex, "A history deletion step failed; it is tried again on the next pass");
            return fallback;
        }
    }
}
