namespace Vigil.Core.Sessions;

/// <summary>
/// The session, end-user and session-user changes of one write, computed from each touched trace's state before (as the
/// writer locked it) and after (its new rollup). Provider-neutral: each writer applies them with its own statements in
/// the same transaction, in key order (sessions, then session-users, then users), so concurrent writers on PostgreSQL
/// add commutative deltas under row locks and the rollups stay exact. Traces without a session or user cost nothing.
/// </summary>
internal sealed class SessionDeltas
{
    public Dictionary<(string Project, string Session), RollupDelta> Sessions { get; } = [];
    public Dictionary<(string Project, string User), RollupDelta> Users { get; } = [];
    /// <summary>Change of a (session, user) pair's trace count.</summary>
    public Dictionary<(string Project, string Session, string User), int> Pairs { get; } = [];

    public bool IsEmpty => Sessions.Count == 0 && Users.Count == 0;

    /// <param name="before">The trace as stored before this write; null for a trace this write created.</param>
    public void Add(string projectId, TraceState? before, TraceState after)
    {
        if (before is not { HasSessionOrUser: true } && !after.HasSessionOrUser) return;
        Apply(Sessions, projectId, before?.SessionId, before, after.SessionId, after);
        Apply(Users, projectId, before?.UserId, before, after.UserId, after);
        if (before is { SessionId: { } bs, UserId: { } bu }) Pair(projectId, bs, bu, -1);
        if (after is { SessionId: { } s, UserId: { } u }) Pair(projectId, s, u, 1);
    }

    /// <summary>A deleted trace (retention): its session and user are recomputed from the traces left, and its pair loses one.</summary>
    public void Remove(string projectId, string? sessionId, string? userId)
    {
        if (sessionId is not null) Get(Sessions, projectId, sessionId).Recompute = true;
        if (userId is not null) Get(Users, projectId, userId).Recompute = true;
        if (sessionId is not null && userId is not null) Pair(projectId, sessionId, userId, -1);
    }

    private static void Apply(Dictionary<(string, string), RollupDelta> into, string projectId, string? beforeKey, TraceState? before, string? afterKey, TraceState after)
    {
        if (beforeKey is not null && beforeKey == afterKey)
        {
            Get(into, projectId, afterKey).Change(before!.Value, after);
            return;
        }
        // Left its session or user: sums could be taken back, the time range cannot.
        if (beforeKey is not null) Get(into, projectId, beforeKey).Recompute = true;
        if (afterKey is not null) Get(into, projectId, afterKey).Join(after);
    }

    private void Pair(string projectId, string session, string user, int change)
    {
        var key = (projectId, session, user);
        Pairs[key] = Pairs.GetValueOrDefault(key) + change;
    }

    private static RollupDelta Get(Dictionary<(string, string), RollupDelta> into, string projectId, string key)
    {
        if (!into.TryGetValue((projectId, key), out var d)) into[(projectId, key)] = d = new RollupDelta();
        return d;
    }

    /// <summary>
    /// Folds an applied pair change into its user's session count: a pair whose trace count went from zero to above is a
    /// session gained, the reverse a session lost.
    /// </summary>
    public void PairApplied(string projectId, string userId, int countBefore, int countAfter)
    {
        var change = (countAfter > 0 ? 1 : 0) - (countBefore > 0 ? 1 : 0);
        if (change != 0 && Users.TryGetValue((projectId, userId), out var d)) d.Sessions += change;
    }
}
