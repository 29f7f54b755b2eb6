namespace Vigil.Bench.Soak;

/// <summary>
/// POST-to-client latencies of every span every hub client receives (5,000 spans/s × 20 clients × 10 minutes is 60M
/// samples): counted into 0.5 ms buckets up to 10 s instead of kept, so percentiles cost constant memory.
/// </summary>
public sealed class LatencyHistogram
{
    private const double BucketMs = 0.5;
    private readonly long[] _counts = new long[20_001]; // the last bucket holds everything past 10 s
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Add(double ms)
    {
        var i = (int)Math.Clamp(ms / BucketMs, 0, _counts.Length - 1);
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The upper edge of the bucket holding the <paramref name="p"/> quantile (ms); 0 when empty.</summary>
    public double Percentile(double p)
    {
        var total = Count;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return (i + 1) * BucketMs;
        }
        return _counts.Length * BucketMs;
    }
}
