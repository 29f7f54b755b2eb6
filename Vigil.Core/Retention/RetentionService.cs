using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Storage;

namespace Vigil.Core.Retention;

/// <summary>
/// Per-project retention: settings, and a run that deletes whole traces that ended before the cutoff (oldest first), then
/// the oldest traces while the project holds more than its span limit, then gives the space back. Runs of one project are
/// serialized (the background job and a manual run never race).
/// </summary>
public sealed class RetentionService
{
    private readonly IDbContextFactory<VigilDbContext> _dbFactory;
    private readonly HistoryDeleter _deleter;
    private readonly WriteGate _gate;
    private readonly IOptions<RetentionOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionService> _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new();

    internal RetentionService(IDbContextFactory<VigilDbContext> dbFactory, HistoryDeleter deleter, WriteGate gate, IOptions<RetentionOptions> options,
        TimeProvider time, ILogger<RetentionService> logger)
    {
        _dbFactory = dbFactory;
        _deleter = deleter;
        _gate = gate;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Null when the project does not exist.</summary>
    public async Task<RetentionSettings?> GetAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var p = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.RetentionDays, p.RetentionMaxSpans }).FirstOrDefaultAsync(ct);
        return p is null ? null : new RetentionSettings(p.RetentionDays, p.RetentionMaxSpans, _options.Value.Days);
    }

    /// <summary>Stores a project's retention (validated by the caller); null when the project does not exist.</summary>
    public async Task<RetentionSettings?> SetAsync(string projectId, int? days, long? maxSpans, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        int changed;
        using (await _gate.EnterAsync(ct))
            changed = await db.Projects.Where(p => p.Id == projectId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.RetentionDays, days).SetProperty(p => p.RetentionMaxSpans, maxSpans), ct);
        if (changed == 0) return null;
        _logger.LogInformation("Retention of {ProjectId} set to {Days} days, {MaxSpans} spans at most", projectId, days?.ToString() ?? "default", maxSpans?.ToString() ?? "no limit");
        return new RetentionSettings(days, maxSpans, _options.Value.Days);
    }

    /// <summary>Applies the project's retention now. Null when the project does not exist (or is being deleted).</summary>
    public async Task<RetentionResult?> RunAsync(string projectId, CancellationToken ct = default)
    {
        var settings = await GetAsync(projectId, ct);
        if (settings is null) return null;
        var gate = _running.GetOrAdd(projectId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync(ct);
            if (await db.Projects.AnyAsync(p => p.Id == projectId && p.DeletingSinceUs != null, ct)) return null;
            var byAge = new RetentionResult(0, 0);
            if (settings.EffectiveDays is { } days)
            {
                var cutoff = UnixMicros.Now(_time) - days * 86_400_000_000L;
                byAge = await _deleter.DeleteAsync(projectId, (n, c) => OlderThanAsync(db, projectId, cutoff, n, c), null, ct);
            }
            var bySize = new RetentionResult(0, 0);
            if (settings.MaxSpans is { } max)
                bySize = await _deleter.DeleteAsync(projectId, (n, c) => OverLimitAsync(db, projectId, max, n, c), null, ct);
            var result = new RetentionResult(byAge.DeletedTraces + bySize.DeletedTraces, byAge.DeletedSpans + bySize.DeletedSpans);
            if (result.DeletedTraces > 0) await _deleter.ReclaimAsync(result.DeletedSpans, ct);
            return result;
        }
        finally { gate.Release(); }
    }

    /// <summary>The oldest traces that ended (or, still running, started) before the cutoff.</summary>
    private static async Task<IReadOnlyList<long>> OlderThanAsync(VigilDbContext db, string projectId, long cutoffUs, int n, CancellationToken ct) =>
        await db.Traces.AsNoTracking()
            .Where(t => t.ProjectId == projectId && t.StartTimeUs < cutoffUs && (t.EndTimeUs ?? t.StartTimeUs) < cutoffUs)
            .OrderBy(t => t.StartTimeUs).Select(t => t.Id).Take(n).ToListAsync(ct);

    /// <summary>The oldest traces whose spans take the project over its limit (at most n).</summary>
    private static async Task<IReadOnlyList<long>> OverLimitAsync(VigilDbContext db, string projectId, long maxSpans, int n, CancellationToken ct)
    {
        var excess = await db.ProjectCounts.Where(c => c.ProjectId == projectId).SumAsync(c => c.Spans, ct) - maxSpans;
        if (excess <= 0) return [];
        var oldest = await db.Traces.AsNoTracking().Where(t => t.ProjectId == projectId)
            .OrderBy(t => t.StartTimeUs).ThenBy(t => t.Id).Select(t => new { t.Id, t.SpanCount }).Take(n).ToListAsync(ct);
        var ids = new List<long>();
        foreach (var t in oldest)
        {
            if (excess <= 0) break;
            ids.Add(t.Id);
            excess -= Math.Max(1, t.SpanCount);
        }
        return ids;
    }

    /// <summary>Every project whose retention deletes anything, for the background job.</summary>
    internal async Task<List<string>> ProjectsWithRetentionAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var defaultDays = _options.Value.Days;
        return await db.Projects.AsNoTracking()
            .Where(p => p.DeletingSinceUs == null && (p.RetentionMaxSpans != null || (p.RetentionDays != null && p.RetentionDays > 0) || (p.RetentionDays == null && defaultDays != null)))
            .OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct);
    }
}
