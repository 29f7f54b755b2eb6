using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Sessions;

/// <summary>Reads sessions: the list from their rollup rows (one index per sort), a session's traces and turns. Scoped to one project.</summary>
public sealed class SessionQueryService(IDbContextFactory<VigilDbContext> dbFactory)
{
    public const int MaxTraces = 1000;

    /// <summary>Up to this many sessions matching the id text are narrowed to by row id.</summary>
    private const int MaxIdMatches = 2000;

    public async Task<Page<SessionSummary>> ListAsync(string projectId, SessionQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Sessions.AsNoTracking().Where(s => s.ProjectId == projectId);
        if (!string.IsNullOrEmpty(query.UserId))
        {
            var ofUser = db.SessionUsers.Where(p => p.ProjectId == projectId && p.UserId == query.UserId).Select(p => p.SessionId);
            q = q.Where(s => ofUser.Contains(s.SessionId));
        }
        if (!string.IsNullOrEmpty(query.Q))
        {
            // The ids first, through the (project, session id) key alone: the count and the page then read only the
            // matching rows instead of every session twice. A broad text (many matches) filters in place.
            var ids = await db.Sessions.Where(s => s.ProjectId == projectId).WhereContains(s => s.SessionId, query.Q)
                .Select(s => s.Id).Take(MaxIdMatches + 1).ToListAsync(ct);
            q = ids.Count <= MaxIdMatches ? q.Where(s => ids.Contains(s.Id)) : q.WhereContains(s => s.SessionId, query.Q);
        }
        if (query.HasErrors == true) q = q.Where(s => s.ErrorCount > 0);
        if (query.HasErrors == false) q = q.Where(s => s.ErrorCount == 0);
        if (query.StartDate is { } from) { var us = UnixMicros.From(from); q = q.Where(s => s.LastTimeUs >= us); }
        if (query.EndDate is { } to) { var us = UnixMicros.From(to); q = q.Where(s => s.FirstTimeUs <= us); }

        var total = await q.CountAsync(ct);
        q = (query.Sort, query.Descending) switch
        {
            (RollupSort.Cost, true) => q.OrderByDescending(s => s.CostUsd).ThenByDescending(s => s.Id),
            (RollupSort.Cost, false) => q.OrderBy(s => s.CostUsd).ThenBy(s => s.Id),
            (RollupSort.Tokens, true) => q.OrderByDescending(s => s.TotalTokens).ThenByDescending(s => s.Id),
            (RollupSort.Tokens, false) => q.OrderBy(s => s.TotalTokens).ThenBy(s => s.Id),
            (RollupSort.Traces, true) => q.OrderByDescending(s => s.TraceCount).ThenByDescending(s => s.Id),
            (RollupSort.Traces, false) => q.OrderBy(s => s.TraceCount).ThenBy(s => s.Id),
            (RollupSort.Errors, true) => q.OrderByDescending(s => s.ErrorCount).ThenByDescending(s => s.Id),
            (RollupSort.Errors, false) => q.OrderBy(s => s.ErrorCount).ThenBy(s => s.Id),
            (_, true) => q.OrderByDescending(s => s.LastTimeUs).ThenByDescending(s => s.Id),
            (_, false) => q.OrderBy(s => s.LastTimeUs).ThenBy(s => s.Id),
        };
        var rows = await q.Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        var users = await UsersOfAsync(db, projectId, rows.Select(s => s.SessionId).ToList(), ct);
        return new Page<SessionSummary>(rows.Select(s => new SessionSummary(s, users.GetValueOrDefault(s.SessionId) ?? [])).ToList(), total, query.Offset, query.Limit);
    }

    /// <summary>A session and its first <paramref name="limit"/> traces, oldest first; null when the project has no such session.</summary>
    public async Task<SessionDetail?> GetAsync(string projectId, string sessionId, int limit = MaxTraces, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.SessionId == sessionId, ct);
        if (session is null) return null;
        var traces = await TracesOf(db, projectId, sessionId).Take(Math.Clamp(limit, 1, MaxTraces)).ToListAsync(ct);
        var users = await UsersOfAsync(db, projectId, [sessionId], ct);
        return new SessionDetail(session, users.GetValueOrDefault(sessionId) ?? [], traces);
    }

    /// <summary>
    /// The session's turns, oldest first: each trace with its root and LLM spans (what the user said and what the
    /// assistant answered) and its failed spans, so the dashboard can read the conversation without loading every span.
    /// </summary>
    public async Task<IReadOnlyList<SessionTurn>> TurnsAsync(string projectId, string sessionId, int limit = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var traces = await TracesOf(db, projectId, sessionId).Take(Math.Clamp(limit, 1, MaxTraces)).ToListAsync(ct);
        if (traces.Count == 0) return [];
        var pks = traces.Select(t => t.Id).ToList();
        var spans = await db.Spans.AsNoTracking()
            .Where(s => pks.Contains(s.TracePk) && (s.ParentSpanId == null || s.Kind == SpanKind.Llm || s.Status == SpanStatus.Error))
            .OrderBy(s => s.StartTimeUs).ThenBy(s => s.Id)
            .ToListAsync(ct);
        var byTrace = spans.GroupBy(s => s.TracePk).ToDictionary(g => g.Key, g => (IReadOnlyList<SpanRecord>)g.ToList());
        return traces.Select(t => new SessionTurn(t, byTrace.GetValueOrDefault(t.Id) ?? [])).ToList();
    }

    private static IQueryable<TraceRecord> TracesOf(VigilDbContext db, string projectId, string sessionId) =>
        db.Traces.AsNoTracking().Where(t => t.ProjectId == projectId && t.SessionId == sessionId)
            .OrderBy(t => t.StartTimeUs).ThenBy(t => t.Id);

    internal static async Task<Dictionary<string, List<string>>> UsersOfAsync(VigilDbContext db, string projectId, List<string> sessionIds, CancellationToken ct)
    {
        if (sessionIds.Count == 0) return [];
        var pairs = await db.SessionUsers.AsNoTracking()
            .Where(p => p.ProjectId == projectId && sessionIds.Contains(p.SessionId))
            .Select(p => new { p.SessionId, p.UserId })
            .ToListAsync(ct);
        return pairs.GroupBy(p => p.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.UserId).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }
}
