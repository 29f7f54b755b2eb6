using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// A project's monitors: define, change, delete, silence; their history and recent values. Every call names its project;
/// <c>null</c> (admins) means "any project".
/// </summary>
public sealed class MonitorService(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, TimeProvider time, ILogger<MonitorService> logger)
{
    public const int MaxSilenceMinutes = 30 * 24 * 60;

    public async Task<List<AlertMonitor>> ListAsync(string? projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Monitors.AsNoTracking().Where(m => projectId == null || m.ProjectId == projectId)
            .OrderBy(m => m.ProjectId).ThenBy(m => m.Name).ThenBy(m => m.Id).ToListAsync(ct);
    }

    public async Task<AlertMonitor?> GetAsync(string? projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Monitors.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && (projectId == null || m.ProjectId == projectId), ct);
    }

    public async Task<AlertingOutcome<AlertMonitor>> CreateAsync(string projectId, MonitorInput input, CancellationToken ct = default)
    {
        var errors = input.Validate();
        if (errors.Count > 0) return AlertingOutcome<AlertMonitor>.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct)) return AlertingOutcome<AlertMonitor>.NotFound($"Project '{projectId}' was not found.");
        var nowUs = UnixMicros.Now(time);
        var m = new AlertMonitor { ProjectId = projectId, Name = "", Metric = "", Direction = "", CreatedAtUs = nowUs, UpdatedAtUs = nowUs, StateSinceUs = nowUs };
        input.ApplyTo(m);
        using (await writeGate.EnterAsync(ct))
        {
            db.Monitors.Add(m);
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Monitor {MonitorId} '{Name}' ({Metric} over {Window} min) created for {ProjectId}", m.Id, m.Name, m.Metric, m.WindowMinutes, projectId);
        return AlertingOutcome<AlertMonitor>.Ok(m);
    }

    /// <summary>Replaces the definition; the state and its history stay (the next evaluations judge the new thresholds).</summary>
    public async Task<AlertingOutcome<AlertMonitor>> UpdateAsync(string? projectId, long id, MonitorInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var m = await db.Monitors.FirstOrDefaultAsync(x => x.Id == id && (projectId == null || x.ProjectId == projectId), ct);
        if (m is null) return AlertingOutcome<AlertMonitor>.NotFound($"Monitor {id} was not found.");
        var errors = input.Validate();
        if (errors.Count > 0) return AlertingOutcome<AlertMonitor>.Invalid(errors);
        input.ApplyTo(m);
        // What was pending was measured against the old definition.
        m.PendingState = null;
        m.PendingCount = 0;
        m.UpdatedAtUs = UnixMicros.Now(time);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Monitor {MonitorId} of {ProjectId} updated", id, m.ProjectId);
        return AlertingOutcome<AlertMonitor>.Ok(m);
    }

    /// <summary>Deletes the monitor with its samples and history. False when absent.</summary>
    public async Task<bool> DeleteAsync(string? projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var deleted = await db.Monitors.Where(m => m.Id == id && (projectId == null || m.ProjectId == projectId)).ExecuteDeleteAsync(ct);
        if (deleted > 0) logger.LogInformation("Monitor {MonitorId} deleted", id);
        return deleted > 0;
    }

    /// <summary>Silences the monitor for <paramref name="minutes"/> from now (0 lifts the silence). Null when absent.</summary>
    public async Task<AlertMonitor?> SilenceAsync(string? projectId, long id, int minutes, CancellationToken ct = default)
    {
        minutes = Math.Clamp(minutes, 0, MaxSilenceMinutes);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var m = await db.Monitors.FirstOrDefaultAsync(x => x.Id == id && (projectId == null || x.ProjectId == projectId), ct);
        if (m is null) return null;
        var nowUs = UnixMicros.Now(time);
        m.SilencedUntilUs = minutes == 0 ? null : nowUs + minutes * 60_000_000L;
        m.UpdatedAtUs = nowUs;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Monitor {MonitorId} of {ProjectId} silenced for {Minutes} min", id, m.ProjectId, minutes);
        return m;
    }

    /// <summary>State changes, newest first: one monitor's, or the project's when <paramref name="monitorId"/> is null.</summary>
    public async Task<List<MonitorStateChange>> HistoryAsync(string projectId, long? monitorId = null, int limit = 100, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.MonitorStateChanges.AsNoTracking().Where(c => c.ProjectId == projectId);
        if (monitorId is { } id) q = q.Where(c => c.MonitorId == id);
        return await q.OrderByDescending(c => c.AtUs).ThenByDescending(c => c.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(ct);
    }

    /// <summary>The kept samples of the project's monitors, oldest first, per monitor (the sparklines).</summary>
    public async Task<Dictionary<long, List<MonitorSample>>> SamplesAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = db.Monitors.Where(m => m.ProjectId == projectId).Select(m => m.Id);
        var rows = await db.MonitorSamples.AsNoTracking().Where(s => ids.Contains(s.MonitorId)).OrderBy(s => s.MonitorId).ThenBy(s => s.AtUs).ToListAsync(ct);
        return rows.GroupBy(s => s.MonitorId).ToDictionary(g => g.Key, g => g.ToList());
    }
}
