using Vigil.Core.Live;

namespace Vigil.Web.Components.Live;

/// <summary>
/// A component's live subscription: reads one project's events in the background, lets the component decide which
/// ones matter, and coalesces the resulting refreshes through a <see cref="RenderThrottle"/>. Dispose it with the
/// component; that ends the subscription, the reader and the timer.
/// </summary>
public sealed class LiveFollower : IDisposable
{
    private readonly LiveSubscription _subscription;
    private readonly RenderThrottle _throttle;
    private readonly CancellationTokenSource _cts = new();

    /// <param name="onEvent">Called on a background thread for each event; return true to request a refresh.</param>
    /// <param name="refresh">Runs at most once per <paramref name="interval"/> (marshal to the renderer inside it).</param>
    public LiveFollower(LiveFeed feed, string projectId, int capacity, Func<LiveEvent, bool> onEvent, TimeSpan interval, Func<Task> refresh, ILogger logger)
    {
        _subscription = feed.Subscribe(projectId, capacity);
        _throttle = new RenderThrottle(interval, refresh);
        _ = PumpAsync(onEvent, logger, _cts.Token);
    }

    /// <summary>The refresh interval (see <see cref="RenderThrottle.Interval"/>).</summary>
    public TimeSpan Interval { get => _throttle.Interval; set => _throttle.Interval = value; }

    /// <summary>Refreshes actually run (tests and diagnostics).</summary>
    public int Refreshes => _throttle.Refreshes;

    private async Task PumpAsync(Func<LiveEvent, bool> onEvent, ILogger logger, CancellationToken ct)
    {
        try
        {
            await foreach (var e in _subscription.Reader.ReadAllAsync(ct))
                if (onEvent(e)) _throttle.Request();
        }
        catch (OperationCanceledException) { }
        catch (Exception ex) { logger.LogWarning(ex, "A live view stopped following the feed"); }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        _subscription.Dispose();
        _throttle.Dispose();
    }
}
