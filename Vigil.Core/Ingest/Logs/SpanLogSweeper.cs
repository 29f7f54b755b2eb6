using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Core.Ingest.Logs;

/// <summary>Runs <see cref="SpanLogStore.SweepAsync"/> at start and then every minute.</summary>
internal sealed class SpanLogSweeper(SpanLogStore store, TimeProvider time, ILogger<SpanLogSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var (expired, folded) = await store.SweepAsync(stoppingToken);
                if (expired + folded > 0) logger.LogInformation("Span logs: {Expired} expired, {Folded} folded into spans that arrived late", expired, folded);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { logger.LogWarning(ex, "The span log sweep failed; it runs again in a minute"); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
