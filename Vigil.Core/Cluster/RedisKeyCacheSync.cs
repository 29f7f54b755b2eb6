using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Vigil.Core.Projects;

namespace Vigil.Core.Cluster;

/// <summary>
/// API key cache invalidation across instances: a key revoked or rotated on one instance is announced on a Redis channel,
/// and every instance drops it from its cache within milliseconds. While Redis is away announcements can be missed, so
/// the cache keeps lookups only briefly (<see cref="IKeyCacheBroadcast.Reliable"/>) and is cleared when Redis returns.
/// </summary>
public sealed class RedisKeyCacheSync(RedisBus bus, ProjectService projects, ClusterInstance instance, ILogger<RedisKeyCacheSync> logger)
    : BackgroundService
{
    public const string ChannelName = "keys";
    private const string All = "*";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Anything may have changed while the connection was down.
        bus.Restored += () => projects.ForgetCachedKeys(null);
        var subscriber = bus.Connection!.GetSubscriber();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await subscriber.SubscribeAsync(bus.Channel(ChannelName));
                queue.OnMessage(m => Receive(m.Message));
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogDebug(e, "Could not subscribe to the key channel yet");
                try { await Task.Delay(1000, stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Receive(RedisValue message)
    {
        var text = (string?)message ?? "";
        var bar = text.IndexOf('|');
        if (bar < 0 || text.AsSpan(0, bar).SequenceEqual(instance.Id)) return;
        var hash = text[(bar + 1)..];
        projects.ForgetCachedKeys(hash == All ? null : hash);
    }

    /// <summary>The sending side, given to <see cref="ProjectService"/>.</summary>
    public sealed class Broadcast(RedisBus bus, ClusterInstance instance, ILogger<Broadcast> logger) : IKeyCacheBroadcast
    {
        public bool Reliable => bus.IsConnected;

        public void KeysChanged(string? hash)
        {
            try
            {
                // Fire and forget: the change is committed; this only shortens how long other caches keep the old answer.
                bus.Connection?.GetSubscriber().Publish(bus.Channel(ChannelName), $"{instance.Id}|{hash ?? All}", CommandFlags.FireAndForget);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning(e, "Could not announce an API key change; other instances keep their cached lookups until those expire");
            }
        }
    }
}
