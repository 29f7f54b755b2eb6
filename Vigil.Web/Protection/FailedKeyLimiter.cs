using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Protection;

/// <summary>
/// Failed API key lookups per client address (<c>Vigil:RateLimits:FailedKeyPerIp</c>), like sign-in: each unknown or
/// revoked key spends a permit; an address without permits left is answered 429 for any key not known valid already,
/// before the lookup.
/// </summary>
public sealed class FailedKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public FailedKeyLimiter(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        if (o.Enabled)
            _limiter = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetFixedWindowLimiter(ip, _ => RateLimiting.Window(o.FailedKeyPerIp)));
    }

    /// <summary>True when the address has no failed lookups left in its window; <paramref name="retryAfter"/> says how long.</summary>
    public bool IsLimited(HttpContext http, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null) return false;
        // Zero permits asks for the state without spending anything.
        using var lease = _limiter.AttemptAcquire(RateLimiting.ClientIp(http), 0);
        if (lease.IsAcquired) return false;
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return true;
    }

    public void RecordFailure(HttpContext http)
    {
        if (_limiter is null) return;
        using var _ = _limiter.AttemptAcquire(RateLimiting.ClientIp(http));
    }

    public void Dispose() => _limiter?.Dispose();
}
