using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;

namespace Vigil.Web.Ingest;

/// <summary>
/// Caps concurrent ingest requests (<c>Vigil:Ingest:MaxConcurrentRequests</c>). Refuses rather than queues: a queued
/// request holds its body in memory and waits for the same write gate, while a 503 + Retry-After lets OTLP exporters and
/// the SDK retry later, which is what OTLP/HTTP asks for under overload.
/// </summary>
public sealed class IngestConcurrencyGate(IOptions<IngestOptions> options)
{
    private int _active;

    public int Limit => options.Value.MaxConcurrentRequests;

    /// <summary>A lease to dispose when the request is done, or null when the server is at its limit.</summary>
    public Lease? TryEnter()
    {
        if (Interlocked.Increment(ref _active) > Limit)
        {
            Interlocked.Decrement(ref _active);
            return null;
        }
        return new Lease(this);
    }

    public sealed class Lease(IngestConcurrencyGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref gate._active);
        }
    }
}
