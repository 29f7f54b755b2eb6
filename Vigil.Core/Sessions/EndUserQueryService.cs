using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Sessions;

/// <summary>Reads the monitored application's end users from their rollup rows, with their sessions and usage over time. Scoped to one project.</summary>
public sealed class EndUserQueryService(IDbContextFactory<VigilDbContext> dbFactory)
{
    public const int MaxBuckets = 400;

    public async Task<Page<EndUserRecord>> ListAsync(string projectId, EndUserQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.EndUsers.AsNoTracking().Where(u => u.ProjectId == projectId);
        if (!string.IsNullOrEmpty(query.Q)) q = q.WhereContains(u => u.UserId, query.Q);
        if (query.HasErrors == true) q = q.Where(u => u.ErrorTraceCount > 0);
        if (query.HasErrors == false) q = q.Where(u => u.ErrorTraceCount == 0);
        if (query.StartDate is { } from) { var us = UnixMicros.From(from); q = q.Where(u => u.LastTimeUs >= us); }
        if (query.EndDate is { } to) { var us = UnixMicros.From(to); q = q.Where(u => u.FirstTimeUs <= us); }

        var total = await q.CountAsync(ct);
        q = (query.Sort, query.Descending) switch
        {
            (RollupSort.Cost, true) => q.OrderByDescending(u => u.CostUsd).ThenByDescending(u => u.Id),
            (RollupSort.Cost, false) => q.OrderBy(u => u.CostUsd).ThenBy(u => u.Id),
            (RollupSort.Tokens, true) => q.OrderByDescending(u => u.TotalTokens).ThenByDescending(u => u.Id),
            (RollupSort.Tokens, false) => q.OrderBy(u => u.TotalTokens).ThenBy(u => u.Id),
            (RollupSort.Traces, true) => q.OrderByDescending(u => u.TraceCount).ThenByDescending(u => u.Id),
            (RollupSort.Traces, false) => q.OrderBy(u => u.TraceCount).ThenBy(u => u.Id),
            (RollupSort.Sessions, true) => q.OrderByDescending(u => u.SessionCount).ThenByDescending(u => u.Id),
            (RollupSort.Sessions, false) => q.OrderBy(u => u.SessionCount).ThenBy(u => u.Id),
            (RollupSort.Errors, true) => q.OrderByDescending(u => u.ErrorTraceCount).ThenByDescending(u => u.Id),
            (RollupSort.Errors, false) => q.OrderBy(u => u.ErrorTraceCount).ThenBy(u => u.Id),
            (_, true) => q.OrderByDescending(u => u.LastTimeUs).ThenByDescending(u => u.Id),
            (_, false) => q.OrderBy(u => u.LastTimeUs).ThenBy(u => u.Id),
        };
        var rows = await q.Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<EndUserRecord>(rows, total, query.Offset, query.Limit);
    }

    /// <summary>A user with their <paramref name="sessions"/> most recent sessions; null when the project has no such user.</summary>
    public async Task<EndUserDetail?> GetAsync(string projectId, string userId, int sessions = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.EndUsers.AsNoTracking().FirstOrDefaultAsync(u => u.ProjectId == projectId && u.UserId == userId, ct);
        if (user is null) return null;
        var ofUser = db.SessionUsers.Where(p => p.ProjectId == projectId && p.UserId == userId).Select(p => p.SessionId);
        var rows = await db.Sessions.AsNoTracking().Where(s => s.ProjectId == projectId && ofUser.Contains(s.SessionId))
            .OrderByDescending(s => s.LastTimeUs).ThenByDescending(s => s.Id).Take(Math.Clamp(sessions, 1, 500)).ToListAsync(ct);
        var users = await SessionQueryService.UsersOfAsync(db, projectId, rows.Select(s => s.SessionId).ToList(), ct);
        return new EndUserDetail(user, rows.Select(s => new SessionSummary(s, users.GetValueOrDefault(s.SessionId) ?? [])).ToList());
    }

    /// <summary>The user's traces, tokens and cost per bucket of <paramref name="bucket"/> in [start, end), from their traces' rollups.</summary>
    public async Task<IReadOnlyList<UsagePoint>> UsageAsync(string projectId, string userId, DateTimeOffset start, DateTimeOffset end, TimeSpan bucket, CancellationToken ct = default)
    {
        if (end <= start) throw new ArgumentException("end must be after start", nameof(end));
        if ((end - start) / bucket > MaxBuckets) throw new ArgumentException($"more than {MaxBuckets} buckets", nameof(bucket));
        long fromUs = UnixMicros.From(start), toUs = UnixMicros.From(end), widthUs = bucket.Ticks / 10;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Traces.AsNoTracking()
            .Where(t => t.ProjectId == projectId && t.UserId == userId && t.StartTimeUs >= fromUs && t.StartTimeUs < toUs)
            .GroupBy(t => (t.StartTimeUs - fromUs) / widthUs)
            .Select(g => new { Bucket = g.Key, Traces = g.Count(), Tokens = g.Sum(t => t.InputTokens + t.OutputTokens), Cost = g.Sum(t => t.CostUsd) })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Bucket).Select(r => new UsagePoint(UnixMicros.ToDateTime(fromUs + r.Bucket * widthUs), r.Traces, r.Tokens, r.Cost)).ToList();
    }
}
