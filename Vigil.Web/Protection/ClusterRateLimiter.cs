using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;
using Vigil.Core.Cluster;

namespace Vigil.Web.Protection;

/// <summary>
/// A fixed window counted for the whole cluster in Redis (RedisRateLimiting's Lua script, one round trip per request),
/// falling back to this instance's own window while Redis is away: limits then count per instance, requests are never
/// failed because the bus is down.
/// </summary>
internal sealed class ClusterRateLimiter : RateLimiter
{
    private readonly RedisBus _bus;
    private readonly RedisFixedWindowRateLimiter<string> _cluster;
    private readonly FixedWindowRateLimiter _local;

    /// <param name="partition">The Redis key part: never a secret (an API key is passed hashed).</param>
    public ClusterRateLimiter(RedisBus bus, string partition, FixedWindowRateLimiterOptions window)
    {
        _bus = bus;
        _local = new FixedWindowRateLimiter(window);
        _cluster = new RedisFixedWindowRateLimiter<string>(bus.Key("rate:" + partition), new RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit,
            Window = window.Window,
            ConnectionMultiplexerFactory = () => bus.Connection!,
        });
    }

    public override TimeSpan? IdleDuration => _local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // Redis answers asynchronously only: a failed attempt sends the middleware to AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        _bus.IsConnected ? NotYet.Instance : _local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (_bus.IsConnected)
        {
            try { return await _cluster.AcquireAsync(permitCount, cancellationToken); }
            catch (Exception e) when (e is RedisException or TimeoutException) { }
        }
        return _local.AttemptAcquire(permitCount);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cluster.Dispose();
            _local.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class NotYet : RateLimitLease
    {
        public static readonly NotYet Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
