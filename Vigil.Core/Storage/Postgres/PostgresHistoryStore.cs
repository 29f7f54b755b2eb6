using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Metrics;
using Vigil.Core.Sessions;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Deletes history on PostgreSQL. The traces are locked first, in the order ingest locks them ((project, trace id)), so a
/// late span for one of them waits and then starts a new trace, and what the deleted spans added to the rollups is read
/// from the deleted rows themselves (DELETE … RETURNING): exact under concurrent writers and other instances. Disk space
/// comes back through autovacuum (dead rows are reused, and a table's trailing empty pages are truncated).
/// </summary>
internal sealed class PostgresHistoryStore(string connectionString, TimeProvider time) : IHistoryStore, IDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public void Dispose() => dataSource.Dispose();

    public Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<long> ReclaimAsync(int pages, CancellationToken ct) => Task.FromResult(0L);

    public Task<long> IndexPagesAsync(CancellationToken ct) => Task.FromResult(0L);

    public Task<bool> CompactIndexAsync(int pages, bool first, CancellationToken ct) => Task.FromResult(false);

    public async Task<(int Traces, int Spans)> DeleteTracesAsync(string projectId, IReadOnlyList<long> tracePks, CancellationToken ct)
    {
        if (tracePks.Count == 0) return (0, 0);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var locked = new List<long>();
        var traceIds = new List<string>();
        var sessions = new SessionDeltas();
        await using (var cmd = Command(connection, "SELECT id, trace_id, session_id, user_id FROM traces WHERE id = ANY(@ids) AND project_id = @project ORDER BY project_id, trace_id FOR UPDATE", tracePks.ToArray(), projectId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                locked.Add(r.GetInt64(0));
                traceIds.Add(r.GetString(1));
                sessions.Remove(projectId, r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
            }
        if (locked.Count == 0) return (0, 0);

        var deltas = new RollupDeltas();
        var spans = 0;
        await using (var cmd = Command(connection, """
            DELETE FROM spans WHERE trace_pk = ANY(@ids)
            RETURNING start_time_us, end_time_us, kind, model, status, input_tokens, output_tokens, cost_usd
            """, [.. locked], projectId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                deltas.Add(new SpanContribution(projectId, r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetDouble(7)), -1);
                spans++;
            }
        await using (var cmd = Command(connection, """
            DELETE FROM replay_runs WHERE project_id = @project AND (original_trace_id = ANY(@trace_ids) OR result_trace_id = ANY(@trace_ids))
            """, [.. locked], projectId))
        {
            cmd.Parameters.Add(new NpgsqlParameter("trace_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = traceIds.ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = Command(connection, "DELETE FROM scores WHERE project_id = @project AND trace_id = ANY(@trace_ids)", [.. locked], projectId))
        {
            cmd.Parameters.Add(new NpgsqlParameter("trace_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = traceIds.ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = Command(connection, "DELETE FROM traces WHERE id = ANY(@ids)", [.. locked], projectId))
            await cmd.ExecuteNonQueryAsync(ct);
        deltas.AddCounts(projectId, -locked.Count, -spans);
        await PostgresRollupWriter.ApplyCompactingAsync(connection, deltas, ct);
        // Sessions and end users are recomputed from the traces left (and go when none is), locked after the traces as ingest does.
        if (!sessions.IsEmpty) await PostgresSessionWriter.ApplyAsync(connection, sessions, UnixMicros.Now(time), ct);
        await tx.CommitAsync(ct);
        return (locked.Count, spans);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, long[] ids, string projectId)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
        cmd.Parameters.Add(new NpgsqlParameter("project", projectId));
        return cmd;
    }
}
