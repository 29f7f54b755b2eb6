using System.Collections.Concurrent;

namespace Vigil.Core.Replay;

/// <summary>
/// This instance's side of the replay queue, whose truth is the database (confirmed runs, claimed by one instance each):
/// a wake-up for the local worker when a run is confirmed here, and cancel requests seen here before the database says so.
/// </summary>
public sealed class ReplayQueue
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<string, byte> _cancelRequested = new(StringComparer.Ordinal);

    /// <summary>A run was confirmed: the worker looks at once instead of at its next poll.</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Until <see cref="Wake"/> or the poll interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan poll, TimeProvider time, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(poll, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try { await _wake.WaitAsync(linked.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    public void RequestCancel(string runId) => _cancelRequested[runId] = 0;

    public bool IsCancelRequested(string runId) => _cancelRequested.ContainsKey(runId);

    public void Forget(string runId) => _cancelRequested.TryRemove(runId, out _);
}
