using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Vigil.Core.Live;

namespace Vigil.Core.Cluster;

/// <summary>
/// Carries the live feed between instances. Outbound: what this instance publishes (after its commit) is read from a
/// bounded subscription that drops its oldest events, grouped and published on one Redis channel in order, so ingest
/// never waits for Redis; while Redis is away the groups are dropped (pushes are lost, data is not). Inbound: groups
/// published by other instances are put on this instance's live feed, once each and in their order, marked
/// <see cref="LiveEvent.Remote"/> so they are neither relayed again nor sent to the hub twice.
/// </summary>
public sealed class RedisLiveRelay(RedisBus bus, LiveFeed feed, LiveEventCodec codec, ClusterInstance instance, ILogger<RedisLiveRelay> logger)
    : BackgroundService
{
    public const string ChannelName = "live";
    private const int MaxGroup = 256;

    private long _sent, _dropped, _received;
    private bool _failing;

    public long Sent => Interlocked.Read(ref _sent);
    /// <summary>Events not relayed: the outbound queue overflowed, or Redis was away.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Received => Interlocked.Read(ref _received);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribed first, so nothing published after start-up is missed by the outbound side.
        using var outbound = feed.Subscribe(projectId: null, capacity: 16_384);
        var channel = bus.Channel(ChannelName);
        var subscriber = bus.Connection!.GetSubscriber();
        await SubscribeAsync(subscriber, channel, stoppingToken);
        try { await PublishLoopAsync(outbound, subscriber, channel, stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        Interlocked.Add(ref _dropped, outbound.Dropped);
        logger.LogInformation("Live relay stopped: {Sent} events sent, {Received} received, {Dropped} dropped", Sent, Received, Dropped);
    }

    /// <summary>Retried until Redis answers once; after that the client restores the subscription on every reconnect.</summary>
    private async Task SubscribeAsync(ISubscriber subscriber, RedisChannel channel, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var queue = await subscriber.SubscribeAsync(channel);
                // One handler at a time: events keep their publication order.
                queue.OnMessage(message => Receive(message.Message));
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogDebug(e, "Could not subscribe to the live channel yet");
                try { await Task.Delay(1000, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var (origin, events) = codec.Decode((byte[])message!);
            if (origin == instance.Id) return;
            foreach (var e in events) feed.Publish(e);
            Interlocked.Add(ref _received, events.Count);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            logger.LogWarning(e, "Ignored a live message that could not be read");
        }
    }

    private async Task PublishLoopAsync(LiveSubscription outbound, ISubscriber subscriber, RedisChannel channel, CancellationToken ct)
    {
        var group = new List<LiveEvent>(MaxGroup);
        var warnedUnknown = new HashSet<Type>();
        while (await outbound.Reader.WaitToReadAsync(ct))
        {
            group.Clear();
            // Everything waiting goes in one message: under load, fewer and larger publishes.
            while (group.Count < MaxGroup && outbound.Reader.TryRead(out var e))
            {
                if (e.Remote) continue;
                if (codec.IsKnown(e)) { group.Add(e); continue; }
                if (warnedUnknown.Add(e.GetType()))
                    logger.LogWarning("Live event {Type} ({Clr}) is not registered with AddLiveEventType and stays on this instance", e.Type, e.GetType().Name);
            }
            if (group.Count == 0) continue;
            if (!bus.IsConnected) { Lost(group.Count, null); continue; }
            try
            {
                await subscriber.PublishAsync(channel, codec.Encode(instance.Id, group));
                Interlocked.Add(ref _sent, group.Count);
                if (_failing) { _failing = false; logger.LogInformation("Live relay publishing again"); }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Lost(group.Count, e);
            }
        }
    }

    private void Lost(int count, Exception? e)
    {
        Interlocked.Add(ref _dropped, count);
        if (_failing) return;
        _failing = true;
        logger.LogWarning(e, "Redis is away: live events of this instance are not reaching the others until it returns");
    }
}
