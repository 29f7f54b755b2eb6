using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Sessions;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Applies a write group's <see cref="SessionDeltas"/> with array statements (<see cref="PostgresSessionSql"/>), in lock
/// order. Session and user ids arrive cleaned for PostgreSQL (<see cref="PostgresText"/>) by the writer.
/// </summary>
internal static class PostgresSessionWriter
{
    /// <summary>New sessions and users of existing traces (null keeps the stored value).</summary>
    public static async Task SetTraceSessionUserAsync(NpgsqlConnection connection, List<(long Pk, string? Session, string? User)> changes, CancellationToken ct)
    {
        if (changes.Count == 0) return;
        await using var cmd = new NpgsqlCommand(PostgresIngestSql.SetTraceSessionUser, connection);
        cmd.Parameters.Add(Array("id", NpgsqlDbType.Bigint, changes.Select(c => c.Pk).ToArray()));
        cmd.Parameters.Add(Array("session_id", NpgsqlDbType.Text, changes.Select(c => c.Session).ToArray()));
        cmd.Parameters.Add(Array("user_id", NpgsqlDbType.Text, changes.Select(c => c.User).ToArray()));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task ApplyAsync(NpgsqlConnection connection, SessionDeltas deltas, long nowUs, CancellationToken ct)
    {
        if (deltas.Sessions.Count > 0)
        {
            await AddAsync(connection, PostgresSessionSql.AddSessions, deltas.Sessions, nowUs, users: false, ct);
            await KeysAsync(connection, PostgresSessionSql.RecomputeSessions, deltas.Sessions.Where(d => d.Value.Recompute).Select(d => d.Key).ToList(), nowUs, ct);
            await KeysAsync(connection, PostgresSessionSql.DeleteEmptySessions, deltas.Sessions.Keys.ToList(), null, ct);
        }
        var pairs = deltas.Pairs.Where(p => p.Value != 0).ToList();
        if (pairs.Count > 0) await AddPairsAsync(connection, deltas, pairs, ct);
        if (deltas.Users.Count > 0)
        {
            await AddAsync(connection, PostgresSessionSql.AddUsers, deltas.Users, nowUs, users: true, ct);
            await KeysAsync(connection, PostgresSessionSql.RecomputeUsers, deltas.Users.Where(d => d.Value.Recompute).Select(d => d.Key).ToList(), nowUs, ct);
            await KeysAsync(connection, PostgresSessionSql.DeleteEmptyUsers, deltas.Users.Keys.ToList(), null, ct);
        }
    }

    private static async Task AddAsync(NpgsqlConnection connection, string sql, Dictionary<(string Project, string Key), RollupDelta> rows, long nowUs, bool users, CancellationToken ct)
    {
        var list = rows.ToList();
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<long>("now_us", nowUs));
        cmd.Parameters.Add(Array("project_id", NpgsqlDbType.Text, list.Select(r => r.Key.Project).ToArray()));
        cmd.Parameters.Add(Array("key", NpgsqlDbType.Text, list.Select(r => r.Key.Key).ToArray()));
        cmd.Parameters.Add(Array("traces", NpgsqlDbType.Integer, list.Select(r => r.Value.Traces).ToArray()));
        if (users)
        {
            cmd.Parameters.Add(Array("sessions", NpgsqlDbType.Integer, list.Select(r => r.Value.Sessions).ToArray()));
            cmd.Parameters.Add(Array("error_traces", NpgsqlDbType.Integer, list.Select(r => r.Value.ErrorTraces).ToArray()));
        }
        else cmd.Parameters.Add(Array("errors", NpgsqlDbType.Integer, list.Select(r => r.Value.Errors).ToArray()));
        cmd.Parameters.Add(Array("in_tok", NpgsqlDbType.Bigint, list.Select(r => r.Value.InputTokens).ToArray()));
        cmd.Parameters.Add(Array("out_tok", NpgsqlDbType.Bigint, list.Select(r => r.Value.OutputTokens).ToArray()));
        cmd.Parameters.Add(Array("cost", NpgsqlDbType.Double, list.Select(r => r.Value.CostUsd).ToArray()));
        cmd.Parameters.Add(Array("first_us", NpgsqlDbType.Bigint, list.Select(r => r.Value.FirstUs).ToArray()));
        cmd.Parameters.Add(Array("last_us", NpgsqlDbType.Bigint, list.Select(r => r.Value.LastUs).ToArray()));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task KeysAsync(NpgsqlConnection connection, string sql, List<(string Project, string Key)> keys, long? nowUs, CancellationToken ct)
    {
        if (keys.Count == 0) return;
        await using var cmd = new NpgsqlCommand(sql, connection);
        if (nowUs is { } now) cmd.Parameters.Add(new NpgsqlParameter<long>("now_us", now));
        cmd.Parameters.Add(Array("project_id", NpgsqlDbType.Text, keys.Select(k => k.Project).ToArray()));
        cmd.Parameters.Add(Array("key", NpgsqlDbType.Text, keys.Select(k => k.Key).ToArray()));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task AddPairsAsync(NpgsqlConnection connection, SessionDeltas deltas,
        List<KeyValuePair<(string Project, string Session, string User), int>> pairs, CancellationToken ct)
    {
        var emptied = new List<(string Project, string Session, string User)>();
        await using (var cmd = new NpgsqlCommand(PostgresSessionSql.AddPairs, connection))
        {
            cmd.Parameters.Add(Array("project_id", NpgsqlDbType.Text, pairs.Select(p => p.Key.Project).ToArray()));
            cmd.Parameters.Add(Array("session_id", NpgsqlDbType.Text, pairs.Select(p => p.Key.Session).ToArray()));
            cmd.Parameters.Add(Array("user_id", NpgsqlDbType.Text, pairs.Select(p => p.Key.User).ToArray()));
            cmd.Parameters.Add(Array("change", NpgsqlDbType.Integer, pairs.Select(p => p.Value).ToArray()));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetString(0), r.GetString(1), r.GetString(2));
                var after = r.GetInt32(3);
                deltas.PairApplied(key.Item1, key.Item3, after - deltas.Pairs[key], after);
                if (after <= 0) emptied.Add(key);
            }
        }
        if (emptied.Count == 0) return;
        await using var delete = new NpgsqlCommand(PostgresSessionSql.DeleteEmptyPairs, connection);
        delete.Parameters.Add(Array("project_id", NpgsqlDbType.Text, emptied.Select(e => e.Project).ToArray()));
        delete.Parameters.Add(Array("session_id", NpgsqlDbType.Text, emptied.Select(e => e.Session).ToArray()));
        delete.Parameters.Add(Array("user_id", NpgsqlDbType.Text, emptied.Select(e => e.User).ToArray()));
        await delete.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, T[] values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values };
}
