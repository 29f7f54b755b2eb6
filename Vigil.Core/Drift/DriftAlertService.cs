using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Alerting;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Drift;

/// <summary>Reads and resolves stored alerts and their PSI history. Every call is scoped to one project.</summary>
public sealed class DriftAlertService(
    IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, LiveFeed liveFeed, OutboxSignal outboxSignal, TimeProvider time, ILogger<DriftAlertService> logger)
{
    public const int RecentCount = 5;

    /// <summary>Newest first.</summary>
    public async Task<List<DriftAlert>> ListAsync(string projectId, bool includeResolved, int limit = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.DriftAlerts.AsNoTracking().Where(a => a.ProjectId == projectId);
        if (!includeResolved) q = q.Where(a => !a.Resolved);
        return await q.OrderByDescending(a => a.CreatedAtUs).ThenByDescending(a => a.Id).Take(limit).ToListAsync(ct);
    }

    public async Task<DriftAlert?> GetAsync(string projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DriftAlerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.ProjectId == projectId, ct);
    }

    public async Task<DriftSummary> SummaryAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alerts = db.DriftAlerts.AsNoTracking().Where(a => a.ProjectId == projectId);
        var total = await alerts.CountAsync(ct);
        var bySeverity = await alerts.Where(a => !a.Resolved).GroupBy(a => a.Severity)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        foreach (var s in DriftSeverity.All) bySeverity.TryAdd(s, 0);
        var recent = await alerts.OrderByDescending(a => a.CreatedAtUs).ThenByDescending(a => a.Id).Take(RecentCount).ToListAsync(ct);
        return new DriftSummary(total, bySeverity.Values.Sum(), bySeverity, recent);
    }

    /// <summary>Marks an alert resolved, queues the resolution for the alert channels and pushes <c>drift_resolved</c>. Null when absent or another project's; idempotent.</summary>
    public async Task<DriftAlert?> ResolveAsync(string projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        DriftAlert? alert;
        using (await writeGate.EnterAsync(ct))
        {
            alert = await db.DriftAlerts.FirstOrDefaultAsync(a => a.Id == id && a.ProjectId == projectId, ct);
            if (alert is null || alert.Resolved) return alert;
            var nowUs = UnixMicros.Now(time);
            alert.Resolved = true;
            alert.ResolvedAtUs = nowUs;
            alert.UpdatedAtUs = nowUs;
            // The resolution goes to the alert channels with the change (one SaveChanges is one transaction).
            DriftAlertEvents.Queue(db, [], [], [alert], nowUs);
            await db.SaveChangesAsync(ct);
        }
        outboxSignal.Wake();
        logger.LogInformation("Drift alert {AlertId} of {ProjectId} resolved by a user", id, projectId);
        liveFeed.Publish(new DriftResolvedEvent(projectId, alert));
        return alert;
    }

    /// <summary>The PSI series of the alert's group and metric, oldest first (the "PSI over time" chart).</summary>
    public async Task<List<DriftMeasurement>> HistoryAsync(DriftAlert alert, int limit = 500, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DriftMeasurements.AsNoTracking()
            .Where(m => m.ProjectId == alert.ProjectId && m.SpanKind == alert.SpanKind && m.Metric == alert.Metric
                && m.SpanName == alert.SpanName && m.Model == alert.Model)
            .OrderByDescending(m => m.MeasuredAtUs).Take(limit).ToListAsync(ct);
        rows.Reverse();
        return rows;
    }
}
