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
    public double Percentile(double p) => Percentile(Snapshot(), p);

    /// <summary>The counts so far, to take a later window's percentile from (<see cref="PercentileSince"/>).</summary>
    public long[] Snapshot()
    {
        var copy = new long[_counts.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Interlocked.Read(ref _counts[i]);
        return copy;
    }

    /// <summary>The quantile of what was added after <paramref name="earlier"/> was taken (a per-minute p99, not the cumulative one).</summary>
    public double PercentileSince(long[] earlier, double p)
    {
        var now = Snapshot();
        for (var i = 0; i < now.Length; i++) now[i] -= earlier[i];
        return Percentile(now, p);
    }

    private static double Percentile(long[] counts, double p)
    {
        var total = counts.Sum();
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return (i + 1) * BucketMs;
        }
        return counts.Length * BucketMs;
    }
}
