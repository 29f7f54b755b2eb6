using Microsoft.Data.Sqlite;
using Vigil.Core.Sessions;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Applies a write's <see cref="SessionDeltas"/> with statements prepared once on the writer connection
/// (<see cref="SqliteSessionSql"/>). Parameters bind by name: this runs per touched session or user, not per span.
/// </summary>
internal sealed class SqliteSessionStatements : IDisposable
{
    private readonly NativeStatement _setTrace, _addSession, _recomputeSession, _deleteSession, _addPair, _deletePair, _addUser, _recomputeUser, _deleteUser;

    public SqliteSessionStatements(SqliteConnection connection)
    {
        _setTrace = new NativeStatement(connection, SqliteSessionSql.SetTraceSessionUser);
        _addSession = new NativeStatement(connection, SqliteSessionSql.AddSession);
        _recomputeSession = new NativeStatement(connection, SqliteSessionSql.RecomputeSession);
        _deleteSession = new NativeStatement(connection, SqliteSessionSql.DeleteEmptySession);
        _addPair = new NativeStatement(connection, SqliteSessionSql.AddPair);
        _deletePair = new NativeStatement(connection, SqliteSessionSql.DeleteEmptyPair);
        _addUser = new NativeStatement(connection, SqliteSessionSql.AddUser);
        _recomputeUser = new NativeStatement(connection, SqliteSessionSql.RecomputeUser);
        _deleteUser = new NativeStatement(connection, SqliteSessionSql.DeleteEmptyUser);
    }

    /// <summary>Stores a new session and/or user on an existing trace (null keeps the stored value).</summary>
    public void SetTraceSessionUser(long tracePk, string? sessionId, string? userId)
    {
        var s = _setTrace;
        s.Bind(s.Parameter("@id"), tracePk);
        s.Bind(s.Parameter("@session_id"), sessionId);
        s.Bind(s.Parameter("@user_id"), userId);
        Run(s);
    }

    public void Apply(SessionDeltas deltas, long nowUs)
    {
        foreach (var ((project, session), d) in deltas.Sessions)
        {
            BindDelta(_addSession, project, session, d, nowUs);
            _addSession.Bind(_addSession.Parameter("@errors"), (long)d.Errors);
            Run(_addSession);
            if (d.Recompute) Run(BindKey(_recomputeSession, project, session, nowUs));
            Run(BindKey(_deleteSession, project, session, null));
        }
        foreach (var ((project, session, user), change) in deltas.Pairs)
        {
            if (change == 0) continue;
            var p = _addPair;
            BindPair(p, project, session, user);
            p.Bind(p.Parameter("@change"), (long)change);
            int after;
            try
            {
                p.Step();
                after = (int)p.Int64(0);
            }
            finally { p.Reset(); }
            deltas.PairApplied(project, user, after - change, after);
            if (after <= 0)
            {
                BindPair(_deletePair, project, session, user);
                Run(_deletePair);
            }
        }
        foreach (var ((project, user), d) in deltas.Users)
        {
            BindDelta(_addUser, project, user, d, nowUs);
            _addUser.Bind(_addUser.Parameter("@sessions"), (long)d.Sessions);
            _addUser.Bind(_addUser.Parameter("@error_traces"), (long)d.ErrorTraces);
            Run(_addUser);
            if (d.Recompute) Run(BindKey(_recomputeUser, project, user, nowUs));
            Run(BindKey(_deleteUser, project, user, null));
        }
    }

    private static void BindDelta(NativeStatement s, string project, string key, RollupDelta d, long nowUs)
    {
        BindKey(s, project, key, nowUs);
        s.Bind(s.Parameter("@traces"), (long)d.Traces);
        s.Bind(s.Parameter("@input_tokens"), d.InputTokens);
        s.Bind(s.Parameter("@output_tokens"), d.OutputTokens);
        s.Bind(s.Parameter("@cost_usd"), d.CostUsd);
        s.Bind(s.Parameter("@first_us"), d.FirstUs);
        s.Bind(s.Parameter("@last_us"), d.LastUs);
    }

    private static NativeStatement BindKey(NativeStatement s, string project, string key, long? nowUs)
    {
        s.Bind(s.Parameter("@project_id"), project);
        s.Bind(s.Parameter("@key"), key);
        if (nowUs is { } now) s.Bind(s.Parameter("@now_us"), now);
        return s;
    }

    private static void BindPair(NativeStatement s, string project, string session, string user)
    {
        s.Bind(s.Parameter("@project_id"), project);
        s.Bind(s.Parameter("@session_id"), session);
        s.Bind(s.Parameter("@user_id"), user);
    }

    private static void Run(NativeStatement s)
    {
        try { s.Step(); }
        finally { s.Reset(); }
    }

    public void Dispose()
    {
        foreach (var s in new[] { _setTrace, _addSession, _recomputeSession, _deleteSession, _addPair, _deletePair, _addUser, _recomputeUser, _deleteUser })
            s.Dispose();
    }
}
