using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Drift;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Reads a window with one streaming query over the typed span columns (never the JSON payloads), served by the
/// (project_id, start_time_us) index. SQL does the cheap work: the kind comes back as a small integer (no string per
/// row), NULLs as sentinels, and name or model only when the grouping needs them. On a SQLite file the windows are cut
/// into time slices read in parallel, each worker on its own read-only <see cref="SqliteReadConnection"/> (WAL lets
/// readers run side by side), and joined back in time order: every list then holds what one query over the window
/// returns, in the same order (<see cref="WindowSlices"/>). An in-memory database is read with one ADO.NET query per
/// window.
/// </summary>
internal sealed class SqliteDriftWindowSource(IDbContextFactory<VigilDbContext> dbFactory, IOptions<DatabaseOptions> options) : IDriftWindowSource
{
    internal static string Sql(DriftGroupBy groupBy) => $"""
        SELECT {string.Format(WindowSampleReader.KindCode, "kind")}, status = 'error', IFNULL(duration_ms, {WindowSampleReader.NullReal:R}),
               IFNULL(input_tokens, {WindowSampleReader.NullInt}), IFNULL(output_tokens, {WindowSampleReader.NullInt}),
               IFNULL(cost_usd, {WindowSampleReader.NullReal:R}){WindowSampleReader.GroupColumn(groupBy)}
        FROM spans WHERE project_id = $p AND start_time_us >= $from AND start_time_us < $to
        """;

    public async Task<(Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current)> ReadWindowsAsync(
        string projectId, long baselineStartUs, long currentStartUs, long endUs, DriftGroupBy groupBy, int parallelism, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (!SqliteReadConnection.Available || !IsFile(path))
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            return (ReadOne(connection, projectId, baselineStartUs, currentStartUs, groupBy, ct),
                ReadOne(connection, projectId, currentStartUs, endUs, groupBy, ct));
        }
        return await ReadSlicedAsync(path, projectId, baselineStartUs, currentStartUs, endUs, groupBy, parallelism, options.Value.BusyTimeoutMs, ct);
    }

    private static bool IsFile(string path) =>
        path.Length > 0 && path != ":memory:" && !path.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && File.Exists(path);

    /// <summary>One window with one query through ADO.NET (in-memory databases, and the reference the sliced path is tested against).</summary>
    internal static Dictionary<DriftGroup, WindowSamples> ReadOne(SqliteConnection connection, string projectId, long fromUs, long toUs, DriftGroupBy groupBy, CancellationToken ct)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql(groupBy);
        cmd.Parameters.AddWithValue("$p", projectId);
        cmd.Parameters.AddWithValue("$from", fromUs);
        cmd.Parameters.AddWithValue("$to", toUs);
        using var reader = cmd.ExecuteReader();
        return WindowSampleReader.Read(new WindowSampleReader.ReaderRows(reader), groupBy, ct);
    }

    internal static Task<(Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current)> ReadSlicedAsync(
        string path, string projectId, long baselineStartUs, long currentStartUs, long endUs, DriftGroupBy groupBy, int parallelism, int busyTimeoutMs,
        CancellationToken ct) =>
        WindowSlices.ReadAsync(baselineStartUs, currentStartUs, endUs, parallelism, () => new SliceReader(path, busyTimeoutMs, projectId, groupBy), ct);

    /// <summary>One worker: its own read-only connection and the window query prepared once.</summary>
    private sealed class SliceReader : WindowSlices.IReader
    {
        private readonly SqliteReadConnection _connection;
        private readonly SqliteReadConnection.Statement _statement;
        private readonly DriftGroupBy _groupBy;

        public SliceReader(string path, int busyTimeoutMs, string projectId, DriftGroupBy groupBy)
        {
            _groupBy = groupBy;
            _connection = SqliteReadConnection.Open(path, busyTimeoutMs);
            _statement = _connection.Prepare(Sql(groupBy));
            _statement.Bind("$p", projectId);
        }

        public Dictionary<DriftGroup, WindowSamples> Read(long fromUs, long toUs, CancellationToken ct)
        {
            _statement.Reset();
            _statement.Bind("$from", fromUs);
            _statement.Bind("$to", toUs);
            return WindowSampleReader.Read(new DirectRows(_statement), _groupBy, ct);
        }

        public void Dispose()
        {
            _statement.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>Rows read straight from e_sqlite3: one native call per column, where the ADO.NET reader adds type checks and bookkeeping to each.</summary>
    private readonly struct DirectRows(SqliteReadConnection.Statement stmt) : WindowSampleReader.IRows
    {
        private readonly nint _handle = stmt.Handle;
        public bool Next() => stmt.Step();
        public bool IsText(int i) => SqliteReadConnection.sqlite3_column_type(_handle, i) == SqliteReadConnection.TextType;
        public long Int64(int i) => SqliteReadConnection.sqlite3_column_int64(_handle, i);
        public double Double(int i) => SqliteReadConnection.sqlite3_column_double(_handle, i);
        public string? String(int i) => SqliteReadConnection.ColumnText(_handle, i);
    }
}
