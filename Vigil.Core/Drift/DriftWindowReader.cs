using System.Data.Common;
using Microsoft.Data.Sqlite;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Drift;

/// <summary>
/// Reads one window of one project with a single streaming query over the typed span columns (never the JSON payloads),
/// served by the (project_id, start_time_us) index. Per-row cost is what matters at a million rows, so SQL does the
/// cheap work: the kind comes back as a small integer (no string per row), NULLs as sentinels (no IsDBNull calls),
/// and name and model are selected only when the grouping needs them. <see cref="ReadWindowsAsync"/> reads both windows,
/// in parallel time slices where the database allows it.
/// </summary>
internal static class DriftWindowReader
{
    private const double NullReal = -1e308;
    private const long NullInt = long.MinValue + 1; // long.MinValue itself is not an integer literal in SQLite

    // A known kind comes back as its index in SpanKind.All, any other as its text (rare), so no second kind column is
    // produced for every row.
    private static readonly string KindCode =
        "CASE kind " + string.Concat(SpanKind.All.Select((k, i) => $"WHEN '{k}' THEN {i} ")) + "ELSE kind END";

    // Column 6 (name or model) only exists when the grouping needs it.
    private static string Sql(DriftGroupBy groupBy) => $"""
        SELECT {KindCode}, status = 'error', IFNULL(duration_ms, {NullReal:R}), IFNULL(input_tokens, {NullInt}),
               IFNULL(output_tokens, {NullInt}), IFNULL(cost_usd, {NullReal:R}){groupBy switch
               {
                   DriftGroupBy.KindName => ", name",
                   DriftGroupBy.KindModel => ", model",
                   _ => "",
               }}
        FROM spans WHERE project_id = $p AND start_time_us >= $from AND start_time_us < $to
        """;

    /// <summary>
    /// The baseline [<paramref name="baselineStartUs"/>, <paramref name="currentStartUs"/>) and current
    /// [<paramref name="currentStartUs"/>, <paramref name="endUs"/>) windows. On a SQLite file, the windows are cut into time
    /// slices read by <paramref name="parallelism"/> workers, each on its own read-only connection (WAL lets readers run side
    /// by side), and the slices are joined back in time order: every list then holds what one query over the window returns,
    /// in the same order, so PSI and means come out bit for bit the same. Anything else (another provider, an in-memory
    /// database, a SQLite build other than the bundled e_sqlite3) reads each window with one query on <paramref name="connection"/>.
    /// </summary>
    public static async Task<(Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current)> ReadWindowsAsync(
        DbConnection connection, string projectId, long baselineStartUs, long currentStartUs, long endUs, DriftGroupBy groupBy,
        int parallelism, int busyTimeoutMs, CancellationToken ct)
    {
        var path = connection is SqliteConnection { State: System.Data.ConnectionState.Open } sqlite && SqliteReadConnection.Available
            ? sqlite.DataSource : "";
        if (path.Length == 0 || !File.Exists(path))
        {
            var b = await ReadAsync(connection, projectId, baselineStartUs, currentStartUs, groupBy, ct);
            var c = await ReadAsync(connection, projectId, currentStartUs, endUs, groupBy, ct);
            return (b, c);
        }

        // Slices of equal time: several per worker so a slower worker (or a busier hour) does not hold up the rest.
        // The current window is small and goes last, into whichever worker frees up first.
        parallelism = Math.Max(1, parallelism);
        var baselineSlices = parallelism == 1 ? 1 : (int)Math.Clamp(currentStartUs - baselineStartUs, 1, 4 * parallelism);
        var slices = new List<(long From, long To)>(baselineSlices + 1);
        for (var i = 0; i < baselineSlices; i++)
            slices.Add((baselineStartUs + (currentStartUs - baselineStartUs) * i / baselineSlices,
                baselineStartUs + (currentStartUs - baselineStartUs) * (i + 1) / baselineSlices));
        slices.Add((currentStartUs, endUs));

        var results = new Dictionary<DriftGroup, WindowSamples>[slices.Count];
        var next = -1;
        var sql = Sql(groupBy);
        void Work()
        {
            try
            {
                using var reader = SqliteReadConnection.Open(path, busyTimeoutMs);
                using var stmt = reader.Prepare(sql);
                stmt.Bind("$p", projectId);
                for (var i = Interlocked.Increment(ref next); i < slices.Count; i = Interlocked.Increment(ref next))
                {
                    stmt.Reset();
                    stmt.Bind("$from", slices[i].From);
                    stmt.Bind("$to", slices[i].To);
                    results[i] = Consume(new DirectRows(stmt), groupBy, ct);
                }
            }
            catch
            {
                Interlocked.Exchange(ref next, slices.Count); // one failed (or was cancelled): the others stop at their next slice
                throw;
            }
        }
        var workers = new Task[Math.Min(parallelism, slices.Count)];
        for (var i = 0; i < workers.Length; i++) workers[i] = Task.Run(Work, ct);
        await Task.WhenAll(workers);

        return (WindowSamples.Concat(results.AsSpan(0, baselineSlices)), results[^1]);
    }

    public static async Task<Dictionary<DriftGroup, WindowSamples>> ReadAsync(
        DbConnection connection, string projectId, long fromUs, long toUs, DriftGroupBy groupBy, CancellationToken ct, bool native = true)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql(groupBy);
        Add(cmd, "$p", projectId);
        Add(cmd, "$from", fromUs);
        Add(cmd, "$to", toUs);

        if (native && connection is SqliteConnection { Handle: not null } sqlite)
        {
            // Straight to SQLite: one native call per column, where the ADO.NET reader adds type checks and bookkeeping
            // to each; at a million rows that is most of the run (see docs/benchmarks.md).
            using var stmt = new NativeStatement(sqlite, cmd.CommandText);
            stmt.Bind(stmt.Parameter("$p"), projectId);
            stmt.Bind(stmt.Parameter("$from"), fromUs);
            stmt.Bind(stmt.Parameter("$to"), toUs);
            return Consume(new RawRows(stmt), groupBy, ct);
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return Consume(new ReaderRows(reader), groupBy, ct);
    }

    private static Dictionary<DriftGroup, WindowSamples> Consume<TRows>(TRows rows, DriftGroupBy groupBy, CancellationToken ct) where TRows : struct, IRows
    {
        var byName = groupBy == DriftGroupBy.KindName;
        var byModel = groupBy == DriftGroupBy.KindModel;
        var fine = byName || byModel;
        var groups = new Dictionary<DriftGroup, WindowSamples>();
        var byCode = new WindowSamples?[SpanKind.All.Count];
        DriftGroup lastKey = default;
        WindowSamples? last = null;
        // Synchronous: SQLite runs in-process and has no asynchronous I/O, so a Task per row over a million rows would be
        // pure overhead. Cancellation is checked every 64k rows instead.
        var count = 0;
        while (rows.Next())
        {
            if ((++count & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var code = rows.IsText(0) ? -1 : (int)rows.Int64(0);
            WindowSamples s;
            if (!fine && code >= 0) s = byCode[code] ??= GetOrAdd(groups, new DriftGroup(SpanKind.All[code], null, null));
            else
            {
                var kind = code >= 0 ? SpanKind.All[code] : rows.String(0) ?? SpanKind.Custom;
                var name = byName ? rows.String(6) : null;
                var model = byModel ? rows.String(6) : null;
                // Rows of one group tend to repeat: remember the last one to skip most dictionary lookups.
                if (last is not null && lastKey.Kind == kind && lastKey.Name == name && lastKey.Model == model) s = last;
                else
                {
                    lastKey = new DriftGroup(kind, name, model);
                    s = last = GetOrAdd(groups, lastKey);
                }
            }

            s.Total++;
            if (rows.Int64(1) != 0) s.Errors++;
            var duration = rows.Double(2);
            if (duration != NullReal) s.Latency.Add(duration);
            var inTokens = rows.Int64(3);
            var outTokens = rows.Int64(4);
            if (inTokens != NullInt || outTokens != NullInt)
                s.Tokens.Add((inTokens == NullInt ? 0 : inTokens) + (outTokens == NullInt ? 0 : outTokens));
            if (outTokens != NullInt) s.OutputLength.Add(outTokens);
            var cost = rows.Double(5);
            if (cost != NullReal) s.Cost.Add(cost);
        }
        return groups;
    }

    /// <summary>The row source <see cref="Consume"/> reads; a struct so the generic loop is specialised, not virtual.</summary>
    private interface IRows
    {
        bool Next();
        bool IsText(int i);
        long Int64(int i);
        double Double(int i);
        string? String(int i);
    }

    private readonly struct RawRows(NativeStatement stmt) : IRows
    {
        public bool Next() => stmt.Step();
        public bool IsText(int i) => stmt.IsText(i);
        public long Int64(int i) => stmt.Int64(i);
        public double Double(int i) => stmt.Double(i);
        public string? String(int i) => stmt.Text(i);
    }

    private readonly struct DirectRows(SqliteReadConnection.Statement stmt) : IRows
    {
        private readonly nint _handle = stmt.Handle;
        public bool Next() => stmt.Step();
        public bool IsText(int i) => SqliteReadConnection.sqlite3_column_type(_handle, i) == SqliteReadConnection.TextType;
        public long Int64(int i) => SqliteReadConnection.sqlite3_column_int64(_handle, i);
        public double Double(int i) => SqliteReadConnection.sqlite3_column_double(_handle, i);
        public string? String(int i) => SqliteReadConnection.ColumnText(_handle, i);
    }

    private readonly struct ReaderRows(DbDataReader reader) : IRows
    {
        public bool Next() => reader.Read();
        public bool IsText(int i) => reader.GetFieldType(i) == typeof(string);
        public long Int64(int i) => reader.GetInt64(i);
        public double Double(int i) => reader.GetDouble(i);
        public string? String(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
    }

    private static WindowSamples GetOrAdd(Dictionary<DriftGroup, WindowSamples> groups, DriftGroup key)
    {
        if (!groups.TryGetValue(key, out var s)) groups[key] = s = new WindowSamples();
        return s;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
