using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Ingest;

/// <summary>
/// The writer side of ingest. Validated batches queue here; each writer loop (one on SQLite, a few on PostgreSQL, as
/// the store says) keeps its own connection with the upserts prepared, and commits every batch that is waiting in ONE
/// transaction (group commit), so concurrent requests share the commit and no request pays for opening, configuring or
/// preparing. A batch whose group fails is retried alone, so one bad batch never takes others down. Callers are
/// answered only after the commit.
/// </summary>
public sealed class IngestPipeline : IAsyncDisposable
{
    private const int MaxSpansPerGroup = 10_000;

    private readonly IIngestStore _store;
    private readonly WriteGate _writeGate;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly Channel<WriteJob> _jobs;
    private readonly Lazy<Task[]> _loops;
    private long _commits;
    private int _waiting;

    internal IngestPipeline(IIngestStore store, WriteGate writeGate, ILogger<IngestPipeline> logger)
    {
        _store = store;
        _writeGate = writeGate;
        _logger = logger;
        _jobs = Channel.CreateBounded<WriteJob>(new BoundedChannelOptions(256) { SingleReader = store.Writers == 1, FullMode = BoundedChannelFullMode.Wait });
        _loops = new Lazy<Task[]>(() => [.. Enumerable.Range(0, Math.Max(1, store.Writers)).Select(slot => Task.Run(() => RunAsync(slot)))]);
    }

    /// <summary>Batches queued or being written; background work that shares the write gate may give way while there are any.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Batches in the queue, not yet taken by a writer loop (tests use it to form a group on purpose).</summary>
    internal int Queued => _jobs.Reader.Count;

    /// <summary>Groups written per commit since start (diagnostics).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    internal async Task<WriteResult> WriteAsync(WriteJob job, CancellationToken ct)
    {
        _ = _loops.Value;
        Interlocked.Increment(ref _waiting);
        try
        {
            await _jobs.Writer.WriteAsync(job, ct);
            return await job.Done.Task.WaitAsync(ct);
        }
        finally { Interlocked.Decrement(ref _waiting); }
    }

    private async Task RunAsync(int slot)
    {
        IIngestWriter? writer = null;
        var group = new List<WriteJob>();
        try
        {
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

                var queued = System.Diagnostics.Stopwatch.GetTimestamp();
                using (await _writeGate.EnterAsync(CancellationToken.None))
                {
                    try
                    {
                        LogIfWaitedLong(group.Count, spans, queued, System.Diagnostics.Stopwatch.GetTimestamp());
                        writer = await WriteAsync(writer, group, slot);
                    }
                    catch (Exception ex) when (group.Count > 1)
                    {
                        _logger.LogWarning(ex, "A group of {Count} batches failed; writing them one by one", group.Count);
                        writer = await ResetAsync(writer);
                        foreach (var job in group) writer = await TryWriteAloneAsync(writer, job, slot);
                    }
                    catch (Exception ex)
                    {
                        group[0].Done.TrySetException(ex);
                        writer = await ResetAsync(writer);
                    }
                }
            }
        }
        finally
        {
            await ResetAsync(writer);
        }
    }

    /// <summary>
    /// A group that waited far longer than usual for the write gate (held by a retention step, say) is logged; a slow write
    /// itself is logged by the writer, with its phases.
    /// </summary>
    private void LogIfWaitedLong(int batches, int spans, long queued, long entered)
    {
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(queued, entered);
        if (waited > SlowGroup)
            _logger.LogWarning("A group of {Batches} batches ({Spans} spans) waited {Waited:0} ms for the writer", batches, spans, waited.TotalMilliseconds);
    }

    private static readonly TimeSpan SlowGroup = TimeSpan.FromSeconds(1);

    private async Task<IIngestWriter?> TryWriteAloneAsync(IIngestWriter? writer, WriteJob job, int slot)
    {
        try
        {
            return await WriteAsync(writer, [job], slot);
        }
        catch (Exception ex)
        {
            job.Done.TrySetException(ex);
            return await ResetAsync(writer);
        }
    }

    private async Task<IIngestWriter> WriteAsync(IIngestWriter? writer, List<WriteJob> group, int slot)
    {
        writer ??= _store.OpenWriter(slot);
        var results = await writer.WriteAsync(group, CancellationToken.None);
        Interlocked.Increment(ref _commits);
        for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(results[i]);
        return writer;
    }

    // After a failure, start over with a fresh connection rather than trust its state (e.g. the SQLite writer's highest
    // trace row id included the rolled-back rows).
    private async Task<IIngestWriter?> ResetAsync(IIngestWriter? writer)
    {
        if (writer is null) return null;
        try { await writer.DisposeAsync(); }
        catch (Exception ex) { _logger.LogWarning(ex, "Closing the ingest writer after a failure failed"); }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        if (_loops.IsValueCreated) await Task.WhenAll(_loops.Value);
    }
}
