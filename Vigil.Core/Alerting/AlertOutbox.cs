using System.Security.Cryptography;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting;

/// <summary>
/// Queues alert state changes for delivery. <see cref="Add"/> only adds a row to the caller's context: the caller saves it
/// in the transaction that stores the change, then calls <see cref="OutboxSignal.Wake"/> so the sender does not wait for its poll.
/// </summary>
public static class AlertOutbox
{
    public static OutboxEntry Add(VigilDbContext db, AlertEvent e, long nowUs, long? channelId = null)
    {
        var entry = new OutboxEntry
        {
            ProjectId = e.ProjectId,
            Source = e.Source,
            Level = e.Level,
            EventId = "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            Payload = e.ToJson(),
            ChannelId = channelId,
            CreatedAtUs = nowUs,
        };
        db.AlertOutbox.Add(entry);
        return entry;
    }
}

/// <summary>Wakes the delivery sender when a change was committed to the outbox (it also polls, so a lost wake only delays).</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try { if (_signal.CurrentCount == 0) _signal.Release(); }
        catch (SemaphoreFullException) { } // already awake
    }

    /// <summary>Waits for a wake or the timeout, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) => WaitCoreAsync(timeout, time, ct);

    private async Task<bool> WaitCoreAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, cts.Token);
        var wake = _signal.WaitAsync(cts.Token);
        var first = await Task.WhenAny(delay, wake);
        await cts.CancelAsync();
        try { await Task.WhenAll(delay, wake); } catch (OperationCanceledException) { }
        ct.ThrowIfCancellationRequested();
        return first == wake && wake.IsCompletedSuccessfully;
    }
}
