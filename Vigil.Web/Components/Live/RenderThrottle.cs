namespace Vigil.Web.Components.Live;

/// <summary>
/// Coalesces bursts of live events into at most one UI refresh per interval (the Aspire dashboard's pattern):
/// the first event of a quiet period schedules a refresh, later ones only mark the view dirty. A view may stretch the
/// interval while its data moves faster than anyone reads (<see cref="BusyInterval"/>): each refresh costs a render and a
/// DOM update in the browser, and at thousands of spans a second every row is new at every refresh anyway.
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    private readonly Func<Task> _refresh;
    private readonly ITimer _timer;
    private long _intervalTicks;
    private int _scheduled;

    public RenderThrottle(TimeSpan interval, Func<Task> refresh, TimeProvider? time = null)
    {
        _intervalTicks = interval.Ticks;
        _refresh = refresh;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => _ = FireAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The interval of a view whose rows all change between two refreshes (e.g. thousands of spans a second).</summary>
    public static readonly TimeSpan BusyInterval = TimeSpan.FromSeconds(1);

    /// <summary>The time from the first event of a quiet period to its refresh; changes apply to the next period.</summary>
    public TimeSpan Interval
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _intervalTicks));
        set => Interlocked.Exchange(ref _intervalTicks, value.Ticks);
    }

    /// <summary>Number of refreshes actually run (for tests and diagnostics).</summary>
    public int Refreshes { get; private set; }

    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
            _timer.Change(Interval, Timeout.InfiniteTimeSpan);
    }

    private async Task FireAsync()
    {
        Interlocked.Exchange(ref _scheduled, 0);
        Refreshes++;
        await _refresh();
    }

    public void Dispose() => _timer.Dispose();
}
