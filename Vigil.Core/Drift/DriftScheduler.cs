using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;

namespace Vigil.Core.Drift;

/// <summary>
/// Wakes every <see cref="DriftOptions.SchedulerTickMinutes"/> on the injected <see cref="TimeProvider"/> (so tests drive it
/// with a fake clock) and runs detection for each drift-enabled project whose own interval has passed since its last run
/// (the last run is taken from the stored measurements, so a restart does not postpone detection by a whole interval;
/// a project never measured runs first one interval after start-up). With several instances only the one holding the
/// <see cref="Duty"/> lease runs it (a PostgreSQL session advisory lock, see <see cref="ClusterLeader"/>); the others
/// take over when it stops or dies.
/// </summary>
public sealed class DriftScheduler(
    IDbContextFactory<VigilDbContext> dbFactory,
    DriftDetector detector,
    IClusterLocks locks,
    IOptions<DriftOptions> options,
    TimeProvider time,
    ILogger<DriftScheduler> logger) : BackgroundService
{
    public const string Duty = "vigil:drift-scheduler";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRun = new();
    private readonly ClusterLeader _leader = new(locks, Duty, logger);
    private bool _leading;
    private PeriodicTimer? _timer;
    private DateTimeOffset _startedAt;

    /// <summary>Raised after each scheduled run of a project (observability and tests).</summary>
    public event Action<DriftRunResult>? RunCompleted;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Created here, not in ExecuteAsync (which runs on the thread pool): a clock advanced right after start must count.
        _startedAt = time.GetUtcNow();
        if (options.Value.Enabled)
            _timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.SchedulerTickMinutes), time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
        {
            logger.LogInformation("Drift scheduler is disabled (Vigil:Drift:Enabled = false)");
            return;
        }
        using var timer = _timer;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var leading = await _leader.TryLeadAsync(stoppingToken);
                // Another instance ran the schedule meanwhile: when this one takes over, it reads the last runs afresh.
                if (leading && !_leading) _lastRun.Clear();
                _leading = leading;
                if (leading) await RunDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            await _leader.DisposeAsync();
        }
    }

    internal async Task RunDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<(string Id, int? Interval)> projects;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        projects = (await db.Projects.AsNoTracking().Where(p => p.DriftEnabled)
            .Select(p => new { p.Id, p.DriftIntervalMinutes }).ToListAsync(ct))
            .Select(p => (p.Id, p.DriftIntervalMinutes)).ToList();

        foreach (var (id, intervalMinutes) in projects)
        {
            var interval = TimeSpan.FromMinutes(intervalMinutes is > 0 and var i ? i : options.Value.IntervalMinutes);
            if (!_lastRun.TryGetValue(id, out var last))
            {
                var measuredUs = await db.DriftMeasurements.Where(m => m.ProjectId == id).MaxAsync(m => (long?)m.MeasuredAtUs, ct);
                last = measuredUs is { } us ? new DateTimeOffset(UnixMicros.ToDateTime(us)) : _startedAt;
                _lastRun[id] = last;
            }
            if (now - last < interval) continue;
            _lastRun[id] = now;
            try
            {
                var result = await detector.RunAsync(id, ct);
                if (result is not null) RunCompleted?.Invoke(result);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One project's failure must not stop the others or the scheduler.
                logger.LogError(ex, "Drift detection failed for project {ProjectId}", id);
            }
        }
    }
}
