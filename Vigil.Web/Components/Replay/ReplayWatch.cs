using Vigil.Core.Live;
using Vigil.Core.Replay;

namespace Vigil.Web.Components.Replay;

/// <summary>
/// Follows one project's replay_status events for a component: coalesces bursts so the UI re-renders at most every
/// <c>throttle</c>, and unsubscribes on dispose.
/// </summary>
public sealed class ReplayWatch : IDisposable
{
    private readonly LiveSubscription _subscription;
    private readonly CancellationTokenSource _stop = new();

    public ReplayWatch(LiveFeed feed, string projectId, Func<string?, bool> wanted, Func<ReplayStatusEvent, Task> onEvent, TimeSpan throttle)
    {
        _subscription = feed.Subscribe(projectId, capacity: 256);
        _ = PumpAsync(wanted, onEvent, throttle, _stop.Token);
    }

    private async Task PumpAsync(Func<string?, bool> wanted, Func<ReplayStatusEvent, Task> onEvent, TimeSpan throttle, CancellationToken ct)
    {
        try
        {
            while (await _subscription.Reader.WaitToReadAsync(ct))
            {
                ReplayStatusEvent? latest = null;
                while (_subscription.Reader.TryRead(out var e))
                    if (e is ReplayStatusEvent r && wanted(r.ReplayRunId)) latest = r;
                if (latest is null) continue;
                await onEvent(latest);
                await Task.Delay(throttle, ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _subscription.Dispose();
        _stop.Dispose();
    }
}
