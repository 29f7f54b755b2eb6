using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;

namespace Vigil.Bench.Ingest;

/// <summary>
/// The ingest endpoint's admission check per request: the hand-written gate it used (an interlocked counter and a lease
/// object, copied here as it was) against System.Threading.RateLimiting's <see cref="ConcurrencyLimiter"/> with queue limit
/// 0, which replaced it. One acquire and release per operation, uncontended and with 4 threads contending.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 2, warmupCount: 5, iterationCount: 15)]
public class IngestLimiterBenchmarks
{
    private const int Limit = 64;
    private readonly HandWrittenGate _gate = new(Limit);
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions { PermitLimit = Limit, QueueLimit = 0 });

    [Benchmark(Baseline = true)]
    public bool HandWrittenGateOnce()
    {
        using var lease = _gate.TryEnter();
        return lease is not null;
    }

    [Benchmark]
    public bool ConcurrencyLimiterOnce()
    {
        using var lease = _limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    [Benchmark(OperationsPerInvoke = 4 * 10_000)]
    public void HandWrittenGate_4Threads() => Parallel.For(0, 4, _ => { for (var i = 0; i < 10_000; i++) HandWrittenGateOnce(); });

    [Benchmark(OperationsPerInvoke = 4 * 10_000)]
    public void ConcurrencyLimiter_4Threads() => Parallel.For(0, 4, _ => { for (var i = 0; i < 10_000; i++) ConcurrencyLimiterOnce(); });

    /// <summary>Vigil.Web's IngestConcurrencyGate before it was replaced, unchanged.</summary>
    private sealed class HandWrittenGate(int limit)
    {
        private int _active;

        public Lease? TryEnter()
        {
            if (Interlocked.Increment(ref _active) > limit)
            {
                Interlocked.Decrement(ref _active);
                return null;
            }
            return new Lease(this);
        }

        public sealed class Lease(HandWrittenGate gate) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref gate._active);
            }
        }
    }
}
