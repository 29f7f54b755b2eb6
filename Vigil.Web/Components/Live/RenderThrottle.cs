namespace Vigil.Web.Components.Live;

/// <summary>
/// Coalesces bursts of live events into at most one UI refresh per interval (the Aspire dashboard's pattern):
/// the first event of a quiet period schedules a refresh, later ones only mark the view dirty.
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    private readonly Func<Task> _refresh;
    private readonly ITimer _timer;
    private readonly TimeSpan _interval;
    private int _scheduled;

    public RenderThrottle(TimeSpan interval, Func<Task> refresh, TimeProvider? time = null)
    {
        _interval = interval;
        _refresh = refresh;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => _ = FireAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Number of refreshes actually run (for tests and diagnostics).</summary>
    public int Refreshes { get; private set; }

    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
    }

    private async Task FireAsync()
    {
        Interlocked.Exchange(ref _scheduled, 0);
        Refreshes++;
        await _refresh();
    }

    public void Dispose() => _timer.Dispose();
}
