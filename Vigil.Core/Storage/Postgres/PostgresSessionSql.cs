namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Session and end-user rollups for a whole write group, rows passed as arrays (same rules as <c>SqliteSessionSql</c>).
/// Each table is upserted in key order, after the traces: every writer locks traces, then sessions, then session-users,
/// then users, in the same order, so concurrent writers queue instead of deadlocking. The deltas are sums and
/// minimum/maximum, which commute, so writers that add them one after the other under the row lock end exact. A
/// recompute runs in its own statement after the lock is held, so its snapshot sees every writer that came before.
/// </summary>
internal static class PostgresSessionSql
{
    public const string AddSessions = """
        INSERT INTO sessions (project_id, session_id, trace_count, error_count, input_tokens, output_tokens, total_tokens, cost_usd,
                              first_time_us, last_time_us, created_at_us, updated_at_us)
        SELECT u.project_id, u.key, u.traces, u.errors, u.in_tok, u.out_tok, u.in_tok + u.out_tok, u.cost, u.first_us, u.last_us, @now_us, @now_us
        FROM unnest(@project_id, @key, @traces, @errors, @in_tok, @out_tok, @cost, @first_us, @last_us)
             AS u(project_id, key, traces, errors, in_tok, out_tok, cost, first_us, last_us)
        ORDER BY u.project_id, u.key
        ON CONFLICT (project_id, session_id) DO UPDATE SET
            trace_count = sessions.trace_count + excluded.trace_count,
            error_count = sessions.error_count + excluded.error_count,
            input_tokens = sessions.input_tokens + excluded.input_tokens,
            output_tokens = sessions.output_tokens + excluded.output_tokens,
            total_tokens = sessions.total_tokens + excluded.total_tokens,
            cost_usd = sessions.cost_usd + excluded.cost_usd,
            first_time_us = LEAST(sessions.first_time_us, excluded.first_time_us),
            last_time_us = GREATEST(sessions.last_time_us, excluded.last_time_us),
            updated_at_us = excluded.updated_at_us
        """;

    public const string RecomputeSessions = """
        UPDATE sessions s SET
            trace_count = a.n, error_count = a.errors, input_tokens = a.in_tok, output_tokens = a.out_tok,
            total_tokens = a.in_tok + a.out_tok, cost_usd = a.cost, first_time_us = a.first_us, last_time_us = a.last_us,
            updated_at_us = @now_us
        FROM unnest(@project_id, @key) AS k(project_id, key)
        CROSS JOIN LATERAL (
            SELECT COUNT(*)::int AS n, COALESCE(SUM(error_count), 0)::int AS errors,
                   COALESCE(SUM(input_tokens), 0)::bigint AS in_tok, COALESCE(SUM(output_tokens), 0)::bigint AS out_tok,
                   COALESCE(SUM(cost_usd::numeric), 0)::float8 AS cost, COALESCE(MIN(start_time_us), 0) AS first_us,
                   COALESCE(MAX(GREATEST(COALESCE(end_time_us, start_time_us), start_time_us)), 0) AS last_us
            FROM traces t WHERE t.project_id = k.project_id AND t.session_id = k.key) AS a
        WHERE s.project_id = k.project_id AND s.session_id = k.key
        """;

    public const string DeleteEmptySessions = """
        DELETE FROM sessions s USING unnest(@project_id, @key) AS k(project_id, key)
        WHERE s.project_id = k.project_id AND s.session_id = k.key AND s.trace_count <= 0
        """;

    public const string AddPairs = """
        INSERT INTO session_users (project_id, session_id, user_id, trace_count)
        SELECT u.project_id, u.session_id, u.user_id, u.change
        FROM unnest(@project_id, @session_id, @user_id, @change) AS u(project_id, session_id, user_id, change)
        ORDER BY u.project_id, u.session_id, u.user_id
        ON CONFLICT (project_id, session_id, user_id) DO UPDATE SET trace_count = session_users.trace_count + excluded.trace_count
        RETURNING project_id, session_id, user_id, trace_count
        """;

    public const string DeleteEmptyPairs = """
        DELETE FROM session_users p USING unnest(@project_id, @session_id, @user_id) AS k(project_id, session_id, user_id)
        WHERE p.project_id = k.project_id AND p.session_id = k.session_id AND p.user_id = k.user_id AND p.trace_count <= 0
        """;

    public const string AddUsers = """
        INSERT INTO end_users (project_id, user_id, trace_count, session_count, error_trace_count, input_tokens, output_tokens, total_tokens,
                               cost_usd, first_time_us, last_time_us, created_at_us, updated_at_us)
        SELECT u.project_id, u.key, u.traces, u.sessions, u.error_traces, u.in_tok, u.out_tok, u.in_tok + u.out_tok, u.cost,
               u.first_us, u.last_us, @now_us, @now_us
        FROM unnest(@project_id, @key, @traces, @sessions, @error_traces, @in_tok, @out_tok, @cost, @first_us, @last_us)
             AS u(project_id, key, traces, sessions, error_traces, in_tok, out_tok, cost, first_us, last_us)
        ORDER BY u.project_id, u.key
        ON CONFLICT (project_id, user_id) DO UPDATE SET
            trace_count = end_users.trace_count + excluded.trace_count,
            session_count = end_users.session_count + excluded.session_count,
            error_trace_count = end_users.error_trace_count + excluded.error_trace_count,
            input_tokens = end_users.input_tokens + excluded.input_tokens,
            output_tokens = end_users.output_tokens + excluded.output_tokens,
            total_tokens = end_users.total_tokens + excluded.total_tokens,
            cost_usd = end_users.cost_usd + excluded.cost_usd,
            first_time_us = LEAST(end_users.first_time_us, excluded.first_time_us),
            last_time_us = GREATEST(end_users.last_time_us, excluded.last_time_us),
            updated_at_us = excluded.updated_at_us
        """;

    public const string RecomputeUsers = """
        UPDATE end_users e SET
            trace_count = a.n, error_trace_count = a.error_traces, input_tokens = a.in_tok, output_tokens = a.out_tok,
            total_tokens = a.in_tok + a.out_tok, cost_usd = a.cost, first_time_us = a.first_us, last_time_us = a.last_us,
            session_count = (SELECT COUNT(*) FROM session_users p WHERE p.project_id = k.project_id AND p.user_id = k.key),
            updated_at_us = @now_us
        FROM unnest(@project_id, @key) AS k(project_id, key)
        CROSS JOIN LATERAL (
            SELECT COUNT(*)::int AS n, COUNT(*) FILTER (WHERE error_count > 0)::int AS error_traces,
                   COALESCE(SUM(input_tokens), 0)::bigint AS in_tok, COALESCE(SUM(output_tokens), 0)::bigint AS out_tok,
                   COALESCE(SUM(cost_usd::numeric), 0)::float8 AS cost, COALESCE(MIN(start_time_us), 0) AS first_us,
                   COALESCE(MAX(GREATEST(COALESCE(end_time_us, start_time_us), start_time_us)), 0) AS last_us
            FROM traces t WHERE t.project_id = k.project_id AND t.user_id = k.key) AS a
        WHERE e.project_id = k.project_id AND e.user_id = k.key
        """;

    public const string DeleteEmptyUsers = """
        DELETE FROM end_users e USING unnest(@project_id, @key) AS k(project_id, key)
        WHERE e.project_id = k.project_id AND e.user_id = k.key AND e.trace_count <= 0
        """;
}
