using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Core.Retention;

/// <summary>
/// Deleting a project: the request revokes its keys at once (they stop working on the next request) and marks the
/// project; the <see cref="HistoryJanitor"/> then deletes its traces through the same batched deleter as retention, and
/// finally the project row with what is left (keys, members, alerts, notifications, settings). A restart resumes it.
/// </summary>
public sealed class ProjectDeletionService
{
    private readonly IDbContextFactory<VigilDbContext> _dbFactory;
    private readonly HistoryDeleter _deleter;
    private readonly ProjectService _projects;
    private readonly WriteGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<ProjectDeletionService> _logger;
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>();

    internal ProjectDeletionService(IDbContextFactory<VigilDbContext> dbFactory, HistoryDeleter deleter, ProjectService projects, WriteGate gate,
        TimeProvider time, ILogger<ProjectDeletionService> logger)
    {
        _dbFactory = dbFactory;
        _deleter = deleter;
        _projects = projects;
        _gate = gate;
        _time = time;
        _logger = logger;
    }

    /// <summary>Projects whose deletion was requested, for the janitor.</summary>
    internal ChannelReader<string> Requests => _requests.Reader;

    /// <summary>Starts deleting a project (idempotent); null when it does not exist.</summary>
    public async Task<ProjectDeletion?> RequestAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var traces = await db.ProjectCounts.Where(c => c.ProjectId == projectId).SumAsync(c => c.Traces, ct);
        var nowUs = UnixMicros.Now(_time);
        int marked;
        using (await _gate.EnterAsync(ct))
            marked = await db.Projects.Where(p => p.Id == projectId && p.DeletingSinceUs == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.DeletingSinceUs, nowUs).SetProperty(p => p.DeletingTracesTotal, traces), ct);
        if (marked > 0)
        {
            await _projects.RevokeAllKeysAsync(projectId, ct);
            _logger.LogWarning("Deleting project {ProjectId} and its {Traces} traces; its API keys are revoked", projectId, traces);
        }
        var status = await StatusAsync(projectId, ct);
        if (status is not null) _requests.Writer.TryWrite(projectId);
        return status is null ? null : status with { Started = marked > 0 };
    }

    /// <summary>Where a deletion stands; null when the project is not being deleted (or is gone).</summary>
    public async Task<ProjectDeletion?> StatusAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var p = await db.Projects.AsNoTracking().Where(p => p.Id == projectId && p.DeletingSinceUs != null)
            .Select(p => new { p.DeletingSinceUs, p.DeletingTracesTotal }).FirstOrDefaultAsync(ct);
        if (p is null) return null;
        var remaining = await db.ProjectCounts.Where(c => c.ProjectId == projectId).SumAsync(c => c.Traces, ct);
        return new ProjectDeletion(projectId, UnixMicros.ToDateTime(p.DeletingSinceUs!.Value), p.DeletingTracesTotal ?? remaining, remaining);
    }

    /// <summary>Every project whose deletion is pending (a restart resumes them).</summary>
    internal async Task<List<string>> PendingAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking().Where(p => p.DeletingSinceUs != null).OrderBy(p => p.DeletingSinceUs).Select(p => p.Id).ToListAsync(ct);
    }

    /// <summary>Deletes the project's traces in batches, then the project itself.</summary>
    internal async Task RunAsync(string projectId, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId && p.DeletingSinceUs != null, ct)) return;
        var result = await _deleter.DeleteAsync(projectId,
            async (n, c) => await db.Traces.AsNoTracking().Where(t => t.ProjectId == projectId).OrderBy(t => t.Id).Select(t => t.Id).Take(n).ToListAsync(c),
            null, ct);
        if (await db.Traces.AnyAsync(t => t.ProjectId == projectId, ct)) return; // something raced in; the next pass finishes
        using (await _gate.EnterAsync(ct))
            await db.Projects.Where(p => p.Id == projectId).ExecuteDeleteAsync(ct);
        _projects.ForgetKeys();
        await _deleter.ReclaimAsync(result.DeletedSpans, ct);
        _logger.LogWarning("Deleted project {ProjectId} ({Traces} traces, {Spans} spans)", projectId, result.DeletedTraces, result.DeletedSpans);
    }
}
