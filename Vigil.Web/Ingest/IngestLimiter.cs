using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;

namespace Vigil.Web.Ingest;

/// <summary>
/// Caps concurrent ingest requests (<c>Vigil:Ingest:MaxConcurrentRequests</c>) with a System.Threading.RateLimiting
/// <see cref="ConcurrencyLimiter"/> that refuses rather than queues (queue limit 0): a queued request holds its body in
/// memory and waits for the same writer, while a 503 + Retry-After lets OTLP exporters and the SDK retry later, which is
/// what OTLP/HTTP asks for under overload.
/// </summary>
public sealed class IngestLimiter(IOptions<IngestOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrentRequests,
        QueueLimit = 0,
    });

    public int Limit => options.Value.MaxConcurrentRequests;

    /// <summary>A lease to dispose when the request is done, or null when the server is at its limit.</summary>
    public RateLimitLease? TryEnter()
    {
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
