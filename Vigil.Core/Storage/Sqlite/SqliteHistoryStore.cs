using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Metrics;
using Vigil.Core.Sessions;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Deletes history on SQLite (the caller holds the write gate, so the single writer waits for one short transaction at
/// most) and reclaims the space with incremental vacuum: <c>auto_vacuum=INCREMENTAL</c> is set on a new file before its
/// tables exist, and an existing file is converted once with VACUUM at start-up (logged; it rewrites the file).
/// </summary>
internal sealed class SqliteHistoryStore(IDbContextFactory<VigilDbContext> dbFactory, TimeProvider time, ILogger<SqliteHistoryStore> logger) : IHistoryStore
{
    public async Task PrepareAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        if (await ScalarAsync(connection, "PRAGMA auto_vacuum", ct) == 2) return; // INCREMENTAL
        var tables = await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", ct);
        await ExecAsync(connection, "PRAGMA auto_vacuum = INCREMENTAL", ct);
        // The setting is this connection's until a table exists, and the migrations create the tables on others: writing
        // the empty file's header now keeps it (otherwise the next start converts a file that may have grown large).
        if (tables == 0)
        {
            await ExecAsync(connection, "VACUUM", ct);
            return;
        }
        var bytes = await ScalarAsync(connection, "PRAGMA page_count", ct) * await ScalarAsync(connection, "PRAGMA page_size", ct);
        logger.LogWarning("Converting {DataSource} to incremental vacuum so that deleted history gives its space back (one time; the file of {Megabytes:N0} MB is rewritten, which needs as much free disk)",
            connection.DataSource, bytes / 1_000_000);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await ExecAsync(connection, "VACUUM", ct);
        // An idle connection opened before (e.g. by the migrations) can report the old header's auto_vacuum (a test's
        // pooled connection did), which ReclaimAsync reads: the pool starts over.
        SqliteConnection.ClearPool(connection);
        logger.LogWarning("Converted {DataSource} to incremental vacuum in {Seconds:0.0} s", connection.DataSource, sw.Elapsed.TotalSeconds);
    }

    public async Task<(int Traces, int Spans)> DeleteTracesAsync(string projectId, IReadOnlyList<long> tracePks, CancellationToken ct)
    {
        if (tracePks.Count == 0) return (0, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var ids = "[" + string.Join(',', tracePks) + "]";
        // "+project_id": the unary plus keeps the planner off the project's indexes, which it would otherwise prefer to
        // the row ids (json_each's size is unknown to it) and walk every trace of the project for each statement: at 200k
        // traces that made each batch ~75 ms and the deletion ~20 traces/s. Checked, the ids are looked up by primary key.
        var deltas = new RollupDeltas();

        var traceIds = new List<string>();
        var sessions = new SessionDeltas();
        await using (var traces = Command(connection, tx, "SELECT id, trace_id, session_id, user_id FROM traces WHERE id IN (SELECT value FROM json_each(@ids)) AND +project_id = @project", ids, projectId))
        await using (var r = await traces.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                traceIds.Add(r.GetString(1));
                sessions.Remove(projectId, r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
            }
        if (traceIds.Count == 0) return (0, 0);

        var spans = 0;
        await using (var delete = Command(connection, tx, """
            DELETE FROM spans WHERE trace_pk IN (SELECT id FROM traces WHERE id IN (SELECT value FROM json_each(@ids)) AND +project_id = @project)
            RETURNING start_time_us, end_time_us, kind, model, status, input_tokens, output_tokens, cost_usd
            """, ids, projectId))
        await using (var r = await delete.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                deltas.Add(new SpanContribution(projectId, r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetDouble(7)), -1);
                spans++;
            }
        var traceIdsJson = System.Text.Json.JsonSerializer.Serialize(traceIds);
        await using (var replays = Command(connection, tx, """
            DELETE FROM replay_runs WHERE project_id = @project
              AND (original_trace_id IN (SELECT value FROM json_each(@trace_ids)) OR result_trace_id IN (SELECT value FROM json_each(@trace_ids)))
            """, ids, projectId))
        {
            replays.Parameters.AddWithValue("@trace_ids", traceIdsJson);
            await replays.ExecuteNonQueryAsync(ct);
        }
        await using (var scores = Command(connection, tx, "DELETE FROM scores WHERE project_id = @project AND trace_id IN (SELECT value FROM json_each(@trace_ids))", ids, projectId))
        {
            scores.Parameters.AddWithValue("@trace_ids", traceIdsJson);
            await scores.ExecuteNonQueryAsync(ct);
        }
        await using (var traces = Command(connection, tx, "DELETE FROM traces WHERE id IN (SELECT value FROM json_each(@ids)) AND +project_id = @project", ids, projectId))
            await traces.ExecuteNonQueryAsync(ct);
        deltas.AddCounts(projectId, -traceIds.Count, -spans);
        using (var rollups = new SqliteRollupStatements(connection)) rollups.Apply(deltas);
        // Sessions and end users are recomputed from the traces left (and go when none is).
        if (!sessions.IsEmpty)
            using (var statements = new SqliteSessionStatements(connection)) statements.Apply(sessions, UnixMicros.Now(time));
        await tx.CommitAsync(ct);
        return (traceIds.Count, spans);
    }

    public async Task<long> IndexPagesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ScalarAsync(await OpenAsync(db, ct), "SELECT (SELECT count(*) FROM spans_fts_data) + (SELECT count(*) FROM traces_fts_data)", ct);
    }

    public async Task<bool> CompactIndexAsync(int pages, bool first, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        // 'merge' with a negative count starts merging every segment into one (not only levels holding 'usermerge' of
        // them), which drops the tombstones; a positive count continues that merge. Starting again at every step would
        // restart it whenever ingest added a segment in between, and the abandoned outputs pile up until FTS5 runs out of
        // segment ids (SQLITE_FULL). The command counts as one change itself: under 2 means that table had nothing to do.
        var more = false;
        foreach (var table in new[] { "spans_fts", "traces_fts" })
        {
            var before = await ScalarAsync(connection, "SELECT total_changes()", ct);
            await ExecAsync(connection, $"INSERT INTO {table} ({table}, rank) VALUES ('merge', {(first ? -pages : pages)})", ct);
            more |= await ScalarAsync(connection, "SELECT total_changes()", ct) - before >= 2;
        }
        return more;
    }

    public async Task<long> ReclaimAsync(int pages, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await OpenAsync(db, ct);
        if (await ScalarAsync(connection, "PRAGMA auto_vacuum", ct) != 2) return 0;
        await ExecAsync(connection, $"PRAGMA incremental_vacuum({pages})", ct);
        return await ScalarAsync(connection, "PRAGMA freelist_count", ct);
    }

    private static async Task<SqliteConnection> OpenAsync(VigilDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return (SqliteConnection)db.Database.GetDbConnection();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, string ids, string projectId)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("@ids", ids);
        cmd.Parameters.AddWithValue("@project", projectId);
        return cmd;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
