using Microsoft.Extensions.Time.Testing;
using Vigil.Web.Components.Live;

namespace Vigil.Web.Tests.Components;

public class RenderThrottleTests
{
    [Fact]
    public void A_burst_becomes_one_refresh_after_the_interval_and_a_changed_interval_applies_to_the_next_burst()
    {
        var time = new FakeTimeProvider();
        var refreshes = 0;
        using var throttle = new RenderThrottle(TimeSpan.FromMilliseconds(200), () => { refreshes++; return Task.CompletedTask; }, time);

        for (var i = 0; i < 1000; i++) throttle.Request();
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(0, refreshes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, refreshes);

        // A busy view stretches the interval: the next burst waits a second.
        throttle.Interval = RenderThrottle.BusyInterval;
        for (var i = 0; i < 1000; i++) throttle.Request();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, refreshes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, refreshes);
        Assert.Equal(2, throttle.Refreshes);
    }
}
