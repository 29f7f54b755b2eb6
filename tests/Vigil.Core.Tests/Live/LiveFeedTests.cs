using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Live;

namespace Vigil.Core.Tests.Live;

public class LiveFeedTests
{
    private static TraceEvent Event(string project, int n) =>
        new(project, new TraceSummary($"t{n}", null, "ok", DateTime.UtcNow, null, null, n, 0, 0, 0, 0, false));

    [Fact]
    public void A_full_subscriber_drops_its_oldest_events_and_never_blocks_publish()
    {
        var feed = new LiveFeed(NullLogger<LiveFeed>.Instance);
        using var slow = feed.Subscribe("p", capacity: 10);
        for (var i = 0; i < 1000; i++) feed.Publish(Event("p", i));
        Assert.Equal(10, slow.Pending);
        Assert.Equal(990, slow.Dropped);
        Assert.True(slow.Reader.TryRead(out var oldestKept));
        Assert.Equal("t990", ((TraceEvent)oldestKept).Trace.TraceId);
    }

    [Fact]
    public void Subscribers_see_only_their_project_unless_subscribed_to_all()
    {
        var feed = new LiveFeed(NullLogger<LiveFeed>.Instance);
        using var a = feed.Subscribe("a");
        using var all = feed.Subscribe(null);
        feed.Publish(Event("b", 1));
        Assert.Equal((0, 1), (a.Pending, all.Pending));
    }

    [Fact]
    public void Disposing_unsubscribes_and_completes_the_reader()
    {
        var feed = new LiveFeed(NullLogger<LiveFeed>.Instance);
        var sub = feed.Subscribe("a");
        sub.Dispose();
        Assert.Equal(0, feed.SubscriberCount);
        Assert.True(sub.Reader.Completion.IsCompleted);
    }
}
