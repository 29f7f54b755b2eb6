using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>What one evaluation did (the scheduler's log line, tests and the bench).</summary>
public sealed record MonitorEvaluation(int Monitors, int Projects, IReadOnlyList<MonitorStateChange> Changes, double ReadMs, double TotalMs);

/// <summary>
/// Evaluates every enabled monitor: reads each project's metrics once (<see cref="IMonitorMetricSource"/>), judges each
/// monitor, applies hysteresis and stores the new state, the sample and any state change together with its outbox
/// entry in one transaction per project. Then, unless the monitor is silenced, rings the bell; the change is pushed live
/// either way. Evaluations never overlap.
/// </summary>
public sealed class MonitorEvaluator(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    IMonitorMetricSource source,
    OutboxSignal outboxSignal,
    LiveFeed liveFeed,
    NotificationService notifications,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<MonitorEvaluator> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<MonitorEvaluation> EvaluateAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try { return await EvaluateLockedAsync(ct); }
        finally { _gate.Release(); }
    }

    private async Task<MonitorEvaluation> EvaluateLockedAsync(CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var nowUs = UnixMicros.Now(time);
        List<AlertMonitor> monitors;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            monitors = await db.Monitors.AsNoTracking().Where(m => m.Enabled).OrderBy(m => m.ProjectId).ThenBy(m => m.Id).ToListAsync(ct);

        var changes = new List<MonitorStateChange>();
        var readMs = 0.0;
        var projects = monitors.GroupBy(m => m.ProjectId).ToList();
        foreach (var project in projects)
        {
            var list = project.ToList();
            IReadOnlyList<MonitorReading> readings;
            var readStart = sw.Elapsed;
            try { readings = await source.ReadAsync(project.Key, list.Select(MonitorQuery.Of).ToList(), nowUs, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One project's failure must not stop the others.
                logger.LogError(ex, "Reading monitor metrics of {ProjectId} failed", project.Key);
                continue;
            }
            readMs += (sw.Elapsed - readStart).TotalMilliseconds;
            List<MonitorStateChange> stored;
            try { stored = await StoreAsync(project.Key, list, readings, nowUs, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Storing the monitor evaluation of {ProjectId} failed", project.Key);
                continue;
            }
            changes.AddRange(stored);
            await AnnounceAsync(list, stored, ct);
            liveFeed.Publish(new MonitorsEvaluatedEvent(project.Key, list.Count, nowUs));
        }
        await PruneSamplesAsync(nowUs, ct);

        var result = new MonitorEvaluation(monitors.Count, projects.Count, changes, readMs, sw.Elapsed.TotalMilliseconds);
        if (monitors.Count > 0)
            logger.Log(changes.Count > 0 ? LogLevel.Information : LogLevel.Debug,
                "Evaluated {Monitors} monitor(s) of {Projects} project(s) in {Ms:0} ms (read {ReadMs:0} ms): {Changes} state change(s)",
                result.Monitors, result.Projects, result.TotalMs, result.ReadMs, changes.Count);
        return result;
    }

    private async Task<List<MonitorStateChange>> StoreAsync(string projectId, List<AlertMonitor> evaluated, IReadOnlyList<MonitorReading> readings, long nowUs, CancellationToken ct)
    {
        var changes = new List<MonitorStateChange>();
        var queued = false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = evaluated.Select(m => m.Id).ToList();
            // Tracked rows read inside the transaction: only the state columns change, so an edit made meanwhile is kept.
            var current = await db.Monitors.Where(m => ids.Contains(m.Id) && m.Enabled).ToDictionaryAsync(m => m.Id, ct);
            // Two evaluations in the same microsecond (a clock that did not move) keep one sample: the later value.
            var samplesNow = await db.MonitorSamples.Where(s => s.AtUs == nowUs && ids.Contains(s.MonitorId)).ToDictionaryAsync(s => s.MonitorId, ct);
            for (var i = 0; i < evaluated.Count; i++)
            {
                if (!current.TryGetValue(evaluated[i].Id, out var m)) continue; // deleted or disabled meanwhile
                var reading = readings[i];
                var (measured, reason) = MonitorJudge.Measure(m, reading);
                var t = MonitorJudge.Next(m.State, m.PendingState, m.PendingCount, measured, m.Hysteresis ?? options.Value.Hysteresis);
                m.LastValue = reading.Value;
                m.LastEvaluatedAtUs = nowUs;
                m.PendingState = t.Pending;
                m.PendingCount = t.PendingCount;
                if (samplesNow.TryGetValue(m.Id, out var sample)) sample.Value = reading.Value;
                else db.MonitorSamples.Add(new MonitorSample { MonitorId = m.Id, AtUs = nowUs, Value = reading.Value });
                if (!t.Changed) continue;

                var change = new MonitorStateChange
                {
                    MonitorId = m.Id, ProjectId = projectId, MonitorName = m.Name, Metric = m.Metric,
                    FromState = m.State, ToState = t.State, Reason = t.State == MonitorState.Ok ? null : reason,
                    Value = reading.Value, Warning = m.Warning, Critical = m.Critical, Direction = m.Direction,
                    Silenced = m.IsSilenced(nowUs), AtUs = nowUs,
                };
                m.State = t.State;
                m.StateReason = change.Reason;
                m.StateSinceUs = nowUs;
                db.MonitorStateChanges.Add(change);
                if (!change.Silenced)
                {
                    AlertOutbox.Add(db, MonitorAlertEvents.From(m, change), nowUs);
                    queued = true;
                }
                changes.Add(change);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (queued) outboxSignal.Wake();
        return changes;
    }

    private async Task AnnounceAsync(List<AlertMonitor> monitors, List<MonitorStateChange> changes, CancellationToken ct)
    {
        foreach (var c in changes)
        {
            liveFeed.Publish(new MonitorStateEvent(c.ProjectId, c));
            if (c.Silenced) continue;
            var m = monitors.First(x => x.Id == c.MonitorId);
            try
            {
                await notifications.CreateAsync(c.ProjectId, NotificationType.MonitorAlert, MonitorAlertEvents.Title(c), MonitorAlertEvents.Summary(m, c),
                    c.MonitorId.ToString(CultureInfo.InvariantCulture), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is stored and queued for the channels; a failed bell entry must not fail the evaluation.
                logger.LogWarning(ex, "Could not create the notification for monitor {MonitorId}", c.MonitorId);
            }
        }
    }

    private async Task PruneSamplesAsync(long nowUs, CancellationToken ct)
    {
        var cutoffUs = nowUs - options.Value.SampleRetentionHours * 3_600_000_000L;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        await db.MonitorSamples.Where(s => s.AtUs < cutoffUs).ExecuteDeleteAsync(ct);
    }
}
