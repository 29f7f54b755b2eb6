using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Ingest;

/// <summary>
/// The single writer of ingest. Validated batches queue here; one loop owns a long-lived connection with the
/// upserts prepared once, and commits every batch that is waiting in ONE transaction (group commit), so concurrent
/// requests share the commit and no request pays for opening, configuring or preparing. A batch whose group fails
/// is retried alone, so one bad batch never takes others down. Callers are answered only after the commit.
/// </summary>
public sealed class IngestPipeline : IAsyncDisposable
{
    private const int MaxSpansPerGroup = 10_000;

    private readonly IDbContextFactory<VigilDbContext> _dbFactory;
    private readonly WriteGate _writeGate;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly Channel<WriteJob> _jobs = Channel.CreateBounded<WriteJob>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lazy<Task> _loop;
    private VigilDbContext? _db;
    private IngestWriter? _writer;
    private Task? _checkpointer;
    private readonly CancellationTokenSource _stopping = new();

    public IngestPipeline(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, ILogger<IngestPipeline> logger)
    {
        _dbFactory = dbFactory;
        _writeGate = writeGate;
        _logger = logger;
        _loop = new Lazy<Task>(() => Task.Run(RunAsync));
    }

    /// <summary>Groups written per commit since start (diagnostics).</summary>
    public long Commits { get; private set; }

    internal async Task<(List<SpanSummary> Spans, List<TraceSummary> Traces)> WriteAsync(WriteJob job, CancellationToken ct)
    {
        _ = _loop.Value;
        await _jobs.Writer.WriteAsync(job, ct);
        return await job.Done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var group = new List<WriteJob>();
        while (await _jobs.Reader.WaitToReadAsync())
        {
            group.Clear();
            var spans = 0;
            while (spans < MaxSpansPerGroup && _jobs.Reader.TryRead(out var job))
            {
                group.Add(job);
                spans += job.Spans.Count;
            }
            if (group.Count == 0) continue;

            using (await _writeGate.EnterAsync(CancellationToken.None))
            {
                try
                {
                    Write(group);
                }
                catch (Exception ex) when (group.Count > 1)
                {
                    _logger.LogWarning(ex, "A group of {Count} batches failed; writing them one by one", group.Count);
                    // The writer's view of the table (its highest trace row id) included the rolled-back rows.
                    ResetConnection();
                    foreach (var job in group) TryWriteAlone(job);
                }
                catch (Exception ex)
                {
                    group[0].Done.TrySetException(ex);
                    ResetConnection();
                }
            }
        }
    }

    private void TryWriteAlone(WriteJob job)
    {
        try
        {
            Write([job]);
        }
        catch (Exception ex)
        {
            job.Done.TrySetException(ex);
            ResetConnection();
        }
    }

    private void Write(List<WriteJob> group)
    {
        var writer = EnsureWriter();
        var results = new (List<SpanSummary>, List<TraceSummary>)[group.Count];
        using (var tx = _db!.Database.BeginTransaction())
        {
            for (var i = 0; i < group.Count; i++)
            {
                var job = group[i];
                var traces = writer.UpsertTraces(job.ProjectId, job.Headers, job.NowUs);
                var spanSummaries = writer.UpsertSpans(job.ProjectId, job.Spans, traces);
                results[i] = (spanSummaries, writer.RefreshTraces(job.TraceIds, traces, job.NowUs));
            }
            tx.Commit();
        }
        Commits++;
        for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(results[i]);
    }

    private IngestWriter EnsureWriter()
    {
        if (_writer is not null) return _writer;
        _db = _dbFactory.CreateDbContext();
        _db.Database.OpenConnection();
        if (_db.Database.IsSqlite())
        {
            // Checkpoints move off the commit path: the writer never copies WAL pages into the database itself;
            // a background checkpointer on its own connection does, while the writer keeps going. A 64 MiB page cache
            // (default 2 MiB) keeps the indexes the upserts touch in memory instead of re-reading them on every batch.
            // Under sustained load the WAL file reached 550 MB before a reset; when it resets, it is cut back to 64 MiB.
            _db.Database.ExecuteSqlRaw("PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-65536; PRAGMA journal_size_limit=67108864;");
            _checkpointer ??= Task.Run(() => CheckpointLoopAsync(_stopping.Token));
        }
        _writer = new IngestWriter((SqliteConnection)_db.Database.GetDbConnection());
        return _writer;
    }

    private async Task CheckpointLoopAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            while (await timer.WaitForNextTickAsync(ct))
                // PASSIVE never blocks the writer or readers; it copies what it can and leaves the rest for the next tick.
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", ct);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex) { _logger.LogWarning(ex, "The WAL checkpointer stopped; SQLite falls back to checkpoints on commit"); }
    }

    // After an unexpected failure, start over with a fresh connection rather than trust its state.
    private void ResetConnection()
    {
        _writer?.Dispose();
        _writer = null;
        _db?.Dispose();
        _db = null;
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        if (_loop.IsValueCreated) await _loop.Value;
        _stopping.Cancel();
        if (_checkpointer is not null) await _checkpointer;
        _stopping.Dispose();
        ResetConnection();
    }
}
