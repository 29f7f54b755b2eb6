namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Session and end-user rollups, applied by the ingest writer in its transaction (<c>SessionDeltas</c>): sums added,
/// time ranges widened, and a rollup read again from its traces only when a trace left it or its time range shrank.
/// </summary>
internal static class SqliteSessionSql
{
    /// <summary>A trace's stored session and user change (an existing trace sent again with new values).</summary>
    public const string SetTraceSessionUser = """
        UPDATE traces SET session_id = COALESCE(@session_id, session_id), user_id = COALESCE(@user_id, user_id) WHERE id = @id
        """;

    public const string AddSession = """
        INSERT INTO sessions (project_id, session_id, trace_count, error_count, input_tokens, output_tokens, total_tokens, cost_usd,
                              first_time_us, last_time_us, created_at_us, updated_at_us)
        VALUES (@project_id, @key, @traces, @errors, @input_tokens, @output_tokens, @input_tokens + @output_tokens, @cost_usd,
                @first_us, @last_us, @now_us, @now_us)
        ON CONFLICT (project_id, session_id) DO UPDATE SET
            trace_count = sessions.trace_count + excluded.trace_count,
            error_count = sessions.error_count + excluded.error_count,
            input_tokens = sessions.input_tokens + excluded.input_tokens,
            output_tokens = sessions.output_tokens + excluded.output_tokens,
            total_tokens = sessions.total_tokens + excluded.total_tokens,
            cost_usd = sessions.cost_usd + excluded.cost_usd,
            first_time_us = MIN(sessions.first_time_us, excluded.first_time_us),
            last_time_us = MAX(sessions.last_time_us, excluded.last_time_us),
            updated_at_us = excluded.updated_at_us
        """;

    public const string RecomputeSession = """
        UPDATE sessions SET (trace_count, error_count, input_tokens, output_tokens, total_tokens, cost_usd, first_time_us, last_time_us) =
            (SELECT COUNT(*), COALESCE(SUM(error_count), 0), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),
                    COALESCE(SUM(input_tokens + output_tokens), 0), COALESCE(SUM(cost_usd), 0),
                    COALESCE(MIN(start_time_us), 0), COALESCE(MAX(MAX(COALESCE(end_time_us, start_time_us), start_time_us)), 0)
             FROM traces WHERE project_id = @project_id AND session_id = @key),
            updated_at_us = @now_us
        WHERE project_id = @project_id AND session_id = @key
        """;

    public const string DeleteEmptySession = "DELETE FROM sessions WHERE project_id = @project_id AND session_id = @key AND trace_count <= 0";

    public const string AddPair = """
        INSERT INTO session_users (project_id, session_id, user_id, trace_count) VALUES (@project_id, @session_id, @user_id, @change)
        ON CONFLICT (project_id, session_id, user_id) DO UPDATE SET trace_count = session_users.trace_count + excluded.trace_count
        RETURNING trace_count
        """;

    public const string DeleteEmptyPair = """
        DELETE FROM session_users WHERE project_id = @project_id AND session_id = @session_id AND user_id = @user_id AND trace_count <= 0
        """;

    public const string AddUser = """
        INSERT INTO end_users (project_id, user_id, trace_count, session_count, error_trace_count, input_tokens, output_tokens, total_tokens,
                               cost_usd, first_time_us, last_time_us, created_at_us, updated_at_us)
        VALUES (@project_id, @key, @traces, @sessions, @error_traces, @input_tokens, @output_tokens, @input_tokens + @output_tokens,
                @cost_usd, @first_us, @last_us, @now_us, @now_us)
        ON CONFLICT (project_id, user_id) DO UPDATE SET
            trace_count = end_users.trace_count + excluded.trace_count,
            session_count = end_users.session_count + excluded.session_count,
            error_trace_count = end_users.error_trace_count + excluded.error_trace_count,
            input_tokens = end_users.input_tokens + excluded.input_tokens,
            output_tokens = end_users.output_tokens + excluded.output_tokens,
            total_tokens = end_users.total_tokens + excluded.total_tokens,
            cost_usd = end_users.cost_usd + excluded.cost_usd,
            first_time_us = MIN(end_users.first_time_us, excluded.first_time_us),
            last_time_us = MAX(end_users.last_time_us, excluded.last_time_us),
            updated_at_us = excluded.updated_at_us
        """;

    public const string RecomputeUser = """
        UPDATE end_users SET (trace_count, error_trace_count, input_tokens, output_tokens, total_tokens, cost_usd, first_time_us, last_time_us) =
            (SELECT COUNT(*), COALESCE(SUM(error_count > 0), 0), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),
                    COALESCE(SUM(input_tokens + output_tokens), 0), COALESCE(SUM(cost_usd), 0),
                    COALESCE(MIN(start_time_us), 0), COALESCE(MAX(MAX(COALESCE(end_time_us, start_time_us), start_time_us)), 0)
             FROM traces WHERE project_id = @project_id AND user_id = @key),
            session_count = (SELECT COUNT(*) FROM session_users WHERE project_id = @project_id AND user_id = @key),
            updated_at_us = @now_us
        WHERE project_id = @project_id AND user_id = @key
        """;

    public const string DeleteEmptyUser = "DELETE FROM end_users WHERE project_id = @project_id AND user_id = @key AND trace_count <= 0";
}
