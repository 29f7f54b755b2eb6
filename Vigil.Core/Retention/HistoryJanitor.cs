using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Retention;

/// <summary>
/// The background deleter: project deletions as soon as they are requested (and those a restart interrupted), and every
/// project's retention every <see cref="RetentionOptions.IntervalMinutes"/>.
/// </summary>
internal sealed class HistoryJanitor(RetentionService retention, ProjectDeletionService deletions, IOptions<RetentionOptions> options,
    TimeProvider time, ILogger<HistoryJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
