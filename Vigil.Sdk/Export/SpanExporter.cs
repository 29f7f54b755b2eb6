using Microsoft.Extensions.Logging;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Export;

/// <summary>
/// Bounded, non-blocking span queue with one background sender. Callers only claim a slot in a lock-free ring
/// (<see cref="SpanQueue"/>); batching, serialization and HTTP (with retries) happen on the sender loop.
/// </summary>
internal sealed partial class SpanExporter : IAsyncDisposable
{
    private readonly VigilOptions _options;
    private readonly IVigilTransport _transport;
    private readonly ILogger _logger;
    private readonly SpanQueue _queue;
    private readonly int _batchSize;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _abort = new();
    private readonly SpanSerializer _serializer;
    private readonly Lock _startLock = new();
    // Pending ForceFlushAsync calls, each done once the queue's Taken count passed its target and that batch was sent.
    private readonly List<FlushMarker> _markers = new();
    private bool _loopDone;   // guarded by _markers: the loop has exited, so a marker added now would never complete
    private Task? _loop;
    private long _exported, _dropped, _rejected, _retries;
    private long _lastDropLog = long.MinValue / 2;
    private long _droppedAtLastLog;
    private volatile bool _shuttingDown;

    public SpanExporter(VigilOptions options, IVigilTransport transport, ILogger logger)
    {
        _options = options;
        _transport = transport;
        _logger = logger;
        _queue = new SpanQueue(options.MaxQueueSize);
        _batchSize = options.BatchSize;
        _serializer = new SpanSerializer(options.MaxFieldBytes, options.ProjectId);
    }

    public VigilStats Stats => new(_queue.Added, Interlocked.Read(ref _exported), Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _rejected), Interlocked.Read(ref _retries), _queue.Count);

    public void Start()
    {
        lock (_startLock)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    /// <summary>Queues a finished span; never blocks, never throws. False when it was dropped.</summary>
    public bool TryEnqueue(VigilSpan span)
    {
        if (!_queue.TryAdd(span, out var queued))
        {
            // Overload path, so keep it to a count: the clock read and checks of LogDropsIfAny run on the first
            // of every 256 drops here, and on every pass of the sender loop (at least once per FlushInterval).
            if ((Interlocked.Increment(ref _dropped) & 255) == 1) LogDropsIfAny();
            return false;
        }
        if (queued == _batchSize) _wake.Release();   // a full batch is waiting: do not wait for the interval
        return true;
    }

    public async Task ForceFlushAsync(CancellationToken cancellationToken)
    {
        var marker = new FlushMarker(_queue.Added);
        bool added;
        lock (_markers)
        {
            // Shutdown may start between any flag check and this add; the loop's exit takes this lock too.
            added = !_shuttingDown && !_loopDone;
            if (added) _markers.Add(marker);
        }
        if (!added)
        {
            // The loop drains everything anyway.
            if (_loop is { } loop) await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        Start();
        _wake.Release();
        await marker.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting spans and delivers what is queued, giving up (and counting drops) after the timeout.</summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        // Close before the flag: once the loop sees the flag, the queue can only shrink.
        _queue.Close();
        _shuttingDown = true;
        Start();
        _wake.Release();
        var loop = _loop!;
        try
        {
            await loop.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            try { await loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
            var left = _queue.Count;
            LogShutdownTimeout(timeout, left);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<VigilSpan>(_batchSize);
        var token = _abort.Token;
        try
        {
            while (true)
            {
                // Give the batch up to FlushInterval to fill, unless it is full or a flush or shutdown wants it now.
                if (!_shuttingDown && _queue.Count < _batchSize && !HasMarkers())
                {
                    await _wake.WaitAsync(_options.FlushInterval, token).ConfigureAwait(false);
                }
                while (_wake.CurrentCount > 0 && _wake.Wait(0)) { }

                while (_queue.TryTake(out var span))
                {
                    batch.Add(span);
                    if (batch.Count >= _batchSize)
                    {
                        await SendAsync(batch, token).ConfigureAwait(false);
                    }
                }
                await SendAsync(batch, token).ConfigureAwait(false);
                CompleteMarkers(all: false);
                LogDropsIfAny();
                if (_shuttingDown && _queue.Count == 0) break;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutdown timed out: whatever is left is lost and counted.
            var left = batch.Count;
            while (_queue.TryTake(out _)) left++;
            Drop(left);
        }
        catch (Exception e)
        {
            // Must never happen; keep the application alive and say why spans stop.
            LogLoopCrashed(e);
        }
        finally
        {
            lock (_markers) _loopDone = true;
            CompleteMarkers(all: true);
        }
    }

    private bool HasMarkers()
    {
        lock (_markers) return _markers.Count > 0;
    }

    private void CompleteMarkers(bool all)
    {
        var taken = _queue.Taken;
        lock (_markers)
        {
            // Everything taken so far has been sent (or given up on): flushes that asked for no more are done.
            _markers.RemoveAll(m =>
            {
                if (!all && m.Target > taken) return false;
                m.Done.TrySetResult();
                return true;
            });
        }
    }

    private async Task SendAsync(List<VigilSpan> batch, CancellationToken token)
    {
        if (batch.Count == 0) return;
        var count = batch.Count;
        ReadOnlyMemory<byte> body;
        try
        {
            body = _serializer.Serialize(batch);
        }
        catch (Exception e)
        {
            LogSerializationFailed(e, count);
            Drop(count);
            batch.Clear();
            return;
        }
        batch.Clear();   // the spans are no longer needed: the body holds them

        for (var attempt = 0; ; attempt++)
        {
            TransportResult result;
            try
            {
                result = await _transport.SendAsync(body, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                Drop(count);
                throw;
            }
            catch (Exception e)
            {
                result = new TransportResult(0, null, e.Message);
            }

            if (result.IsSuccess)
            {
                Interlocked.Add(ref _exported, count);
                return;
            }
            if (!result.IsRetryable)
            {
                Interlocked.Add(ref _rejected, count);
                LogRejected(count, result.StatusCode, result.Detail);
                return;
            }
            if (attempt >= _options.MaxRetries)
            {
                Drop(count);
                LogGaveUp(count, attempt + 1, result.StatusCode, result.Detail);
                return;
            }
            Interlocked.Increment(ref _retries);
            var delay = result.RetryAfter is { } retryAfter
                ? (retryAfter > _options.RetryMaxDelay ? _options.RetryMaxDelay : retryAfter)
                : Backoff.FullJitter(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared);
            LogRetrying(count, result.StatusCode, result.Detail, delay.TotalMilliseconds, attempt + 1);
            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Drop(count);
                throw;
            }
        }
    }

    private void Drop(int count)
    {
        if (count <= 0) return;
        Interlocked.Add(ref _dropped, count);
        LogDropsIfAny();
    }

    private void LogDropsIfAny()
    {
        // Log at most once per interval, from whichever thread notices first.
        if (Interlocked.Read(ref _dropped) == Interlocked.Read(ref _droppedAtLastLog)) return;
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropLog);
        if (now - last >= (long)_options.DropLogInterval.TotalMilliseconds && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            var total = Interlocked.Read(ref _dropped);
            var since = total - Interlocked.Exchange(ref _droppedAtLastLog, total);
            if (since > 0) LogDropped(since, total, _options.MaxQueueSize);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shuttingDown) await ShutdownAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        _transport.Dispose();
        _abort.Dispose();
        // _wake is not disposed: a span ending on another thread while the client is disposed may still Release it,
        // and that must not throw into the application. It holds no kernel handle (AvailableWaitHandle is never used).
    }

    private sealed class FlushMarker(long target)
    {
        public long Target { get; } = target;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil dropped {Count} spans ({Total} in total): queue full (MaxQueueSize {Max}), shutting down or server unreachable")]
    private partial void LogDropped(long count, long total, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil server rejected a batch of {Count} spans with HTTP {Status}; not retried: {Detail}")]
    private partial void LogRejected(int count, int status, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil gave up on a batch of {Count} spans after {Attempts} attempts (last: HTTP {Status} {Detail})")]
    private partial void LogGaveUp(int count, int attempts, int status, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Vigil export of {Count} spans failed (HTTP {Status} {Detail}); retry {Attempt} in {DelayMs:0} ms")]
    private partial void LogRetrying(int count, int status, string? detail, double delayMs, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Vigil could not serialize a batch of {Count} spans")]
    private partial void LogSerializationFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vigil shutdown timed out after {Timeout}; {Left} spans were not delivered")]
    private partial void LogShutdownTimeout(TimeSpan timeout, int left);

    [LoggerMessage(Level = LogLevel.Error, Message = "Vigil exporter stopped unexpectedly; spans are no longer sent")]
    private partial void LogLoopCrashed(Exception e);
}

/// <summary>Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)].</summary>
internal static class Backoff
{
    public static TimeSpan Ceiling(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var ms = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, maxDelay.TotalMilliseconds));
    }

    public static TimeSpan FullJitter(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
        => TimeSpan.FromMilliseconds(random.NextDouble() * Ceiling(attempt, baseDelay, maxDelay).TotalMilliseconds);
}
