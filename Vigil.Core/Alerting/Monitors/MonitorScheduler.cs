using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// Evaluates every monitor each <see cref="AlertingOptions.EvaluationIntervalSeconds"/> (default a minute) on the injected
/// <see cref="TimeProvider"/>, so tests advance a fake clock or call <see cref="MonitorEvaluator.EvaluateAsync"/> directly.
/// With several instances only the holder of the <see cref="Duty"/> lock evaluates (see <see cref="ClusterLeader"/>), so a
/// monitor changes state, and alerts, once per cluster.
/// </summary>
public sealed class MonitorScheduler(
    MonitorEvaluator evaluator,
    IClusterLocks locks,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<MonitorScheduler> logger) : BackgroundService
{
    public const string Duty = "vigil:monitor-scheduler";

    private readonly ClusterLeader _leader = new(locks, Duty, logger);
    private PeriodicTimer? _timer;

    /// <summary>Raised after each scheduled evaluation (observability and tests).</summary>
    public event Action<MonitorEvaluation>? Evaluated;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Created here, not in ExecuteAsync (which runs on the thread pool): a clock advanced right after start must count.
        if (options.Value.Enabled)
            _timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.EvaluationIntervalSeconds), time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            logger.LogInformation("Monitor evaluation is disabled (Vigil:Alerting:Enabled = false)");
            return;
        }
        using var timer = _timer;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!await _leader.TryLeadAsync(stoppingToken)) continue;
                try
                {
                    // Not Evaluated?.Invoke(await ...): without a subscriber that would skip the evaluation itself.
                    var result = await evaluator.EvaluateAsync(stoppingToken);
                    Evaluated?.Invoke(result);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Monitor evaluation failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally { await _leader.DisposeAsync(); }
    }
}
