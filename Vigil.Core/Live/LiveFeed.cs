using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Vigil.Core.Live;

/// <summary>
/// In-process broadcaster. Publishers (ingest, drift, replay) call <see cref="Publish"/> after their data is committed;
/// it never blocks: each subscriber has its own bounded queue that drops its oldest items when full.
/// </summary>
public sealed class LiveFeed(ILogger<LiveFeed> logger)
{
    public const int DefaultCapacity = 4096;

    private ImmutableArray<LiveSubscription> _subscribers = [];
    private readonly Lock _gate = new();

    public int SubscriberCount => _subscribers.Length;

    /// <summary>Subscribes to one project's events, or to every project's when <paramref name="projectId"/> is null.</summary>
    public LiveSubscription Subscribe(string? projectId, int capacity = DefaultCapacity)
    {
        var sub = new LiveSubscription(this, projectId, capacity);
        lock (_gate) _subscribers = _subscribers.Add(sub);
        logger.LogDebug("Live subscriber added for {ProjectId}; {Count} now", projectId ?? "*", _subscribers.Length);
        return sub;
    }

    public void Publish(LiveEvent e)
    {
        // A copy-on-write array: publishing takes no lock and allocates nothing.
        foreach (var sub in _subscribers)
            if (sub.ProjectId is null || sub.ProjectId == e.ProjectId)
                sub.Offer(e);
    }

    internal void Remove(LiveSubscription sub)
    {
        lock (_gate) _subscribers = _subscribers.Remove(sub);
    }
}

/// <summary>One subscriber's bounded queue. Dispose it to unsubscribe.</summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly LiveFeed _feed;
    private readonly Channel<LiveEvent> _channel;
    private long _dropped;

    internal LiveSubscription(LiveFeed feed, string? projectId, int capacity)
    {
        _feed = feed;
        ProjectId = projectId;
        _channel = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public string? ProjectId { get; }
    public ChannelReader<LiveEvent> Reader => _channel.Reader;
    /// <summary>Events dropped because this subscriber fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    public int Pending => _channel.Reader.Count;

    internal void Offer(LiveEvent e) => _channel.Writer.TryWrite(e);

    public void Dispose()
    {
        _feed.Remove(this);
        _channel.Writer.TryComplete();
    }
}
