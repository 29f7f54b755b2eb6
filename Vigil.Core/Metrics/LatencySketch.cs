namespace Vigil.Core.Metrics;

/// <summary>
/// A DDSketch-style latency histogram (Masson, Rim, Lee: "DDSketch", VLDB 2019) with relative accuracy
/// <see cref="RelativeAccuracy"/> = 1 %: a duration of d microseconds (d ≥ 1) falls in bucket ⌈log_γ d⌉ with
/// γ = (1 + α) / (1 − α), whose representative value 2γ^i / (γ + 1) is within α of every duration in the bucket;
/// durations under a microsecond (0) have a bucket of their own. Buckets are plain counts, so sketches add and subtract
/// exactly (a span re-sent with an end time moves from one bucket to another; a deleted span leaves), whatever the order.
/// Quantiles interpolate between the two ranks around q·(n − 1) as the exact type-7 quantile does, so each is within α
/// of the exact value (the 2 % the metrics promise, with margin).
/// </summary>
public sealed class LatencySketch
{
    public const double RelativeAccuracy = 0.01;
    public static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    private readonly Dictionary<int, long> _buckets = [];

    /// <summary>Spans in the zero bucket (a duration under one microsecond).</summary>
    public long ZeroCount { get; private set; }

    /// <summary>Every duration counted (zero bucket included).</summary>
    public long Count { get; private set; }

    public bool IsEmpty => Count == 0 && _buckets.Count == 0 && ZeroCount == 0;

    /// <summary>The bucket of a duration in microseconds; <see cref="int.MinValue"/> for the zero bucket.</summary>
    public static int IndexOf(long durationUs) => durationUs < 1 ? int.MinValue : (int)Math.Ceiling(Math.Log(durationUs) / LogGamma);

    /// <summary>The value (microseconds) a bucket stands for.</summary>
    public static double ValueOf(int index) => index == int.MinValue ? 0 : 2 * Math.Pow(Gamma, index) / (Gamma + 1);

    /// <summary>Adds (count &gt; 0) or removes (count &lt; 0) a duration in microseconds.</summary>
    public void Add(long durationUs, long count = 1) => AddToBucket(IndexOf(durationUs), count);

    public void AddToBucket(int index, long count)
    {
        if (count == 0) return;
        Count += count;
        _sortedKeys = null;
        if (index == int.MinValue) { ZeroCount += count; return; }
        var n = _buckets.GetValueOrDefault(index) + count;
        if (n == 0) _buckets.Remove(index); else _buckets[index] = n;
    }

    public void Merge(LatencySketch other, long sign = 1)
    {
        if (other.ZeroCount != 0) AddToBucket(int.MinValue, sign * other.ZeroCount);
        foreach (var (i, n) in other._buckets) AddToBucket(i, sign * n);
    }

    /// <summary>Adds an encoded sketch (see <see cref="Encode"/>) without building another instance.</summary>
    public void MergeEncoded(ReadOnlySpan<byte> encoded, long sign = 1)
    {
        if (encoded.IsEmpty) return;
        var pos = 0;
        var zero = Varint.ReadSigned(encoded, ref pos);
        if (zero != 0) AddToBucket(int.MinValue, sign * zero);
        long index = 0;
        while (pos < encoded.Length)
        {
            index += Varint.ReadSigned(encoded, ref pos);
            AddToBucket((int)index, sign * Varint.ReadSigned(encoded, ref pos));
        }
    }

    public static LatencySketch Decode(ReadOnlySpan<byte> encoded)
    {
        var s = new LatencySketch();
        s.MergeEncoded(encoded);
        return s;
    }

    /// <summary>
    /// The zero bucket's count, then (index delta, count) pairs in index order, all zigzag varints. A row of one minute
    /// of one kind typically takes tens of bytes. Counts may be negative in a partial row (see <see cref="MetricRollup.Shard"/>).
    /// </summary>
    public byte[] Encode()
    {
        var keys = _buckets.Keys.ToArray();
        Array.Sort(keys);
        var buffer = new byte[Varint.MaxBytes * (1 + 2 * keys.Length)];
        var pos = Varint.WriteSigned(buffer, 0, ZeroCount);
        long previous = 0;
        foreach (var k in keys)
        {
            pos = Varint.WriteSigned(buffer, pos, k - previous);
            pos = Varint.WriteSigned(buffer, pos, _buckets[k]);
            previous = k;
        }
        return buffer[..pos];
    }

    /// <summary>
    /// The q-quantile in microseconds, interpolated between ranks ⌊q(n−1)⌋ and ⌈q(n−1)⌉ like <c>Psi.QuantileOfSorted</c>;
    /// null when empty.
    /// </summary>
    public double? Quantile(double q)
    {
        if (Count <= 0) return null;
        var h = (Count - 1) * Math.Clamp(q, 0, 1);
        var lo = (long)Math.Floor(h);
        var hi = Math.Min(lo + 1, Count - 1);
        var (vLo, vHi) = (ValueAtRank(lo), ValueAtRank(hi));
        return vLo + (h - lo) * (vHi - vLo);
    }

    /// <summary>The representative value of the bucket holding the value of 0-based rank <paramref name="rank"/>.</summary>
    private double ValueAtRank(long rank)
    {
        var seen = ZeroCount;
        if (rank < seen) return 0;
        var keys = _sortedKeys ??= SortedKeys();
        foreach (var k in keys)
        {
            seen += _buckets[k];
            if (rank < seen) return ValueOf(k);
        }
        return keys.Length == 0 ? 0 : ValueOf(keys[^1]);
    }

    private int[]? _sortedKeys;

    private int[] SortedKeys()
    {
        var keys = _buckets.Keys.ToArray();
        Array.Sort(keys);
        return keys;
    }
}
