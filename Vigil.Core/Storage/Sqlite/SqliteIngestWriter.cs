using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Ingest;
using Vigil.Core.Sessions;
using Vigil.Core.Metrics;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// The single SQLite writer: one long-lived connection with the upserts prepared once
/// (<see cref="SqliteIngestStatements"/>), and a background WAL checkpointer on a connection of its own.
/// </summary>
internal sealed class SqliteIngestWriter : IIngestWriter
{
    private readonly VigilDbContext _db;
    private readonly SqliteIngestStatements _statements;
    private readonly SqliteSessionStatements _sessions;
    private readonly SqliteRollupStatements _rollups;
    private readonly RollupDeltas _deltas = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _checkpointer;
    private readonly ILogger _logger;

    private readonly IngestWriterTimings _timings;

    /// <summary>
    /// WAL frames past which the writer rewinds the log itself (<see cref="DatabaseOptions.WalRestartPages"/>): under
    /// continuous ingest the log is never wholly copied back at the moment a write begins, so SQLite never rewinds it, and
    /// at 1M spans it had reached 3.5 GB (nor can incremental vacuum shrink the main file until a checkpoint completes).
    /// </summary>
    private readonly long _restartFrames;
    private long _walFrames;
    private long _nextRestart;
    private readonly long _busyTimeoutMs;

    /// <summary>Where the current group's time went, per phase; a slow group is logged with it.</summary>
    private readonly long[] _groupTicks = new long[IngestWriterTimings.Phases.Length];
    private static readonly TimeSpan SlowGroup = TimeSpan.FromSeconds(1);

    public SqliteIngestWriter(IDbContextFactory<VigilDbContext> dbFactory, IngestWriterTimings timings, long restartFrames, ILogger logger)
    {
        _restartFrames = restartFrames;
        _logger = logger;
        _timings = timings;
        _db = dbFactory.CreateDbContext();
        _db.Database.OpenConnection();
        // Checkpoints move off the commit path: the writer never copies WAL pages into the database itself; the
        // checkpointer does, while the writer keeps going. A 64 MiB page cache (default 2 MiB) keeps the indexes the
        // upserts touch in memory instead of re-reading them on every batch. A rewound WAL file is cut back to 64 MiB.
        // Each upsert's statement journal stays in memory: spilled to a temp file it took two pwrite calls a page, ~84,000
        // a second at 5,000 spans/s (docs/benchmarks.md, "Soak runs 30–39").
        _db.Database.ExecuteSqlRaw("PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-65536; PRAGMA journal_size_limit=67108864; PRAGMA temp_store=MEMORY;");
        using (var cmd = _db.Database.GetDbConnection().CreateCommand())
        {
            cmd.CommandText = "PRAGMA busy_timeout";
            _busyTimeoutMs = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        _statements = new SqliteIngestStatements((SqliteConnection)_db.Database.GetDbConnection());
        _sessions = new SqliteSessionStatements((SqliteConnection)_db.Database.GetDbConnection());
        _rollups = new SqliteRollupStatements((SqliteConnection)_db.Database.GetDbConnection());
        _checkpointer = Task.Run(() => CheckpointLoopAsync(dbFactory, _stopping.Token));
    }

    public ValueTask<WriteResult[]> WriteAsync(IReadOnlyList<WriteJob> group, CancellationToken ct)
    {
        // Synchronous: SQLite runs in-process, and the pipeline's loop is already off the request threads.
        var results = new WriteResult[group.Count];
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        Array.Clear(_groupTicks);
        var spanCount = 0;
        _deltas.Clear();
        _statements.TextIndex.Clear();
        using (var tx = _db.Database.BeginTransaction())
        {
            for (var i = 0; i < group.Count; i++)
            {
                var job = group[i];
                var t = System.Diagnostics.Stopwatch.GetTimestamp();
                var traces = _statements.UpsertTraces(job.ProjectId, job.Headers, job.NowUs, _sessions, _deltas);
                Time(0, t);
                t = System.Diagnostics.Stopwatch.GetTimestamp();
                var spans = _statements.UpsertSpans(job.ProjectId, job.Spans, traces, _deltas);
                Time(1, t);
                t = System.Diagnostics.Stopwatch.GetTimestamp();
                var sessionDeltas = new SessionDeltas();
                results[i] = new WriteResult(spans, _statements.RefreshTraces(job.ProjectId, job.TraceIds, traces, job.NowUs, sessionDeltas));
                Time(2, t);
                if (!sessionDeltas.IsEmpty)
                {
                    t = System.Diagnostics.Stopwatch.GetTimestamp();
                    _sessions.Apply(sessionDeltas, job.NowUs);
                    Time(4, t);
                }
                spanCount += job.Spans.Count;
            }
            var m = System.Diagnostics.Stopwatch.GetTimestamp();
            _rollups.Apply(_deltas);
            Time(3, m);
            // Last before the commit: a later statement would flush the index's pending terms to a segment of their own.
            var x = System.Diagnostics.Stopwatch.GetTimestamp();
            _statements.TextIndex.Flush();
            Time(7, x);
            var c = System.Diagnostics.Stopwatch.GetTimestamp();
            tx.Commit();
            Time(5, c);
        }
        _timings.Group(spanCount);
        RestartWalIfLong();
        if (System.Diagnostics.Stopwatch.GetElapsedTime(start) > SlowGroup) LogSlowGroup(group.Count, spanCount);
        return ValueTask.FromResult(results);
    }

    private void Time(int phase, long start) => _groupTicks[phase] += _timings.Add(phase, start);

    private void LogSlowGroup(int batches, int spans) =>
        _logger.LogWarning("Writing {Batches} batches ({Spans} spans) took {Phases}", batches, spans,
            string.Join(", ", IngestWriterTimings.Phases.Select((p, i) => $"{p} {System.Diagnostics.Stopwatch.GetElapsedTime(0, _groupTicks[i]).TotalMilliseconds:0} ms")));


    /// <summary>
    /// Rewinds a long WAL between two groups, on the writer's own connection so that no write waits on a lock: the
    /// checkpointer has copied nearly all of it already, so this copies the last frames and waits briefly for readers
    /// still on the old log; when one holds on, it tries again a second later.
    /// </summary>
    private void RestartWalIfLong()
    {
        if (Volatile.Read(ref _walFrames) < _restartFrames || Environment.TickCount64 < _nextRestart) return;
        using var cmd = ((SqliteConnection)_db.Database.GetDbConnection()).CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout=100; PRAGMA wal_checkpoint(RESTART);";
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        long busy = 1, frames = -1;
        try
        {
            using (var reader = cmd.ExecuteReader())
            {
                do
                {
                    if (reader.FieldCount == 3 && reader.Read()) (busy, frames) = (reader.GetInt64(0), reader.GetInt64(1));
                } while (reader.NextResult());
            }
        }
        catch (SqliteException ex) { _logger.LogDebug(ex, "Restarting the WAL failed; the next try is in a second"); }
        finally
        {
            cmd.CommandText = $"PRAGMA busy_timeout={_busyTimeoutMs};";
            cmd.ExecuteNonQuery();
        }
        Time(6, t);
        if (busy == 0) Volatile.Write(ref _walFrames, 0);
        else _nextRestart = Environment.TickCount64 + 1000;
        _logger.LogDebug("WAL restart of {Frames} frames: {Result}", frames, busy == 0 ? "done" : "readers held on");
    }

    private async Task CheckpointLoopAsync(IDbContextFactory<VigilDbContext> dbFactory, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // A checkpoint that meets a busy database gives up for this tick rather than retry for the 30 s default,
            // so closing the writer after a failure (the checkpointer stops with it) never waits on another process's lock.
            db.Database.SetCommandTimeout(TimeSpan.FromSeconds(1));
            await db.Database.OpenConnectionAsync(ct);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            while (await timer.WaitForNextTickAsync(ct))
            {
                // PASSIVE never blocks the writer or readers; it copies what it can and leaves the rest for the next tick.
                try { Volatile.Write(ref _walFrames, await PassiveCheckpointAsync((SqliteConnection)db.Database.GetDbConnection(), ct)); }
                catch (SqliteException ex) { _logger.LogDebug(ex, "A WAL checkpoint failed; the next tick tries again"); }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception ex) { _logger.LogWarning(ex, "The WAL checkpointer stopped; SQLite falls back to checkpoints on commit"); }
    }

    /// <summary>Copies what it can of the WAL into the database; answers the frames in the log.</summary>
    private static async Task<long> PassiveCheckpointAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(1) : 0;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _checkpointer;
        _stopping.Dispose();
        _statements.Dispose();
        _sessions.Dispose();
        _rollups.Dispose();
        await _db.DisposeAsync();
    }
}
