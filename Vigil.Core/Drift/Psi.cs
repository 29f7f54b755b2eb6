namespace Vigil.Core.Drift;

/// <summary>
/// Population Stability Index: Σ (c − b) · ln(c / b) over bins, where b and c are the baseline and current shares
/// of each bin plus <see cref="Epsilon"/> (so empty bins stay finite; shares are not renormalised, as in the
/// original server). Pure functions over arrays; callers own the data.
/// </summary>
public static class Psi
{
    public const double Epsilon = 1e-4;
    public const int DefaultBins = 10;

    public static PsiResult Compute(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current, DriftBinning binning, int bins = DefaultBins) =>
        binning == DriftBinning.EqualWidth ? EqualWidth(baseline, current, bins) : Quantile(baseline, current, bins);

    /// <summary>The original server's method: <paramref name="bins"/> equal-width bins over the combined range.</summary>
    public static PsiResult EqualWidth(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (baseline.IsEmpty || current.IsEmpty) return PsiResult.Empty;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in baseline) { if (v < min) min = v; if (v > max) max = v; }
        foreach (var v in current) { if (v < min) min = v; if (v > max) max = v; }
        if (!(max > min)) return PsiResult.Empty; // min = max: no spread, nothing can have shifted

        var width = (max - min) / bins;
        var b = new long[bins];
        var c = new long[bins];
        foreach (var v in baseline) b[Math.Min((int)Math.Floor((v - min) / width), bins - 1)]++;
        foreach (var v in current) c[Math.Min((int)Math.Floor((v - min) / width), bins - 1)]++;

        var edges = new double[bins + 1];
        for (var i = 0; i <= bins; i++) edges[i] = min + i * width;
        edges[bins] = max;
        return FromCounts(b, baseline.Length, c, current.Length, edges);
    }

    /// <summary>Above this many baseline values, edges come from an evenly spaced sample of this size (see <see cref="Quantile"/>).</summary>
    public const int MaxEdgeSample = 1 << 16;

    /// <summary>
    /// Bins at the baseline's quantiles (k/bins, linear interpolation). Ties make duplicate edges, which are merged,
    /// so a baseline with few distinct values gets fewer bins instead of empty zero-width ones. Bins are closed on the
    /// right: a value equal to an edge falls in the bin below it, which keeps a tied mass together. A baseline larger than
    /// <see cref="MaxEdgeSample"/> takes its edges from an evenly spaced sample of that size (decile edges then sit within
    /// a fraction of a percentile of the exact ones) so a million-span window is not sorted on every run; every value is
    /// still counted.
    /// </summary>
    public static PsiResult Quantile(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (baseline.IsEmpty || current.IsEmpty) return PsiResult.Empty;
        double[] sorted;
        if (baseline.Length <= MaxEdgeSample) sorted = baseline.ToArray();
        else
        {
            sorted = new double[MaxEdgeSample];
            for (var i = 0; i < sorted.Length; i++) sorted[i] = baseline[(int)((long)i * baseline.Length / MaxEdgeSample)];
        }
        Array.Sort(sorted);

        var inner = new List<double>(bins - 1);
        for (var k = 1; k < bins; k++)
        {
            var e = QuantileOfSorted(sorted, (double)k / bins);
            if (inner.Count == 0 || e > inner[^1]) inner.Add(e);
        }
        // An edge at the baseline maximum is kept: its top bin then holds only what exceeds the baseline's range,
        // which is exactly the signal a constant or low-cardinality baseline can still give.
        var edgesInner = inner.ToArray();

        var n = edgesInner.Length + 1;
        var b = new long[n];
        var c = new long[n];
        var (bMin, bMax) = Count(baseline, edgesInner, b);
        var (cMin, cMax) = Count(current, edgesInner, c);
        // As one running min/max over baseline then current (not Math.Min/Max, which order ±0 and NaN differently).
        var min = cMin < bMin ? cMin : bMin;
        var max = cMax > bMax ? cMax : bMax;

        var edges = new double[n + 1];
        edges[0] = min;
        edgesInner.CopyTo(edges, 1);
        edges[n] = max;
        return FromCounts(b, baseline.Length, c, current.Length, edges);
    }

    /// <summary>A two-bin PSI of a 0/1 outcome (ok vs error), from counts. Equals <see cref="EqualWidth"/> over the 0/1 values.</summary>
    public static PsiResult Binary(long baselineHits, long baselineTotal, long currentHits, long currentTotal)
    {
        if (baselineTotal <= 0 || currentTotal <= 0) return PsiResult.Empty;
        // Both windows all-0 or all-1: the combined range is empty (min = max), as with equal-width bins.
        var allSame = (baselineHits == 0 && currentHits == 0) || (baselineHits == baselineTotal && currentHits == currentTotal);
        if (allSame) return PsiResult.Empty;
        return FromCounts([baselineTotal - baselineHits, baselineHits], baselineTotal,
            [currentTotal - currentHits, currentHits], currentTotal, [0, 0.5, 1]);
    }

    private static PsiResult FromCounts(long[] b, long bTotal, long[] c, long cTotal, double[] edges)
    {
        var bs = new double[b.Length];
        var cs = new double[c.Length];
        var score = 0.0;
        for (var i = 0; i < b.Length; i++)
        {
            bs[i] = (double)b[i] / bTotal + Epsilon;
            cs[i] = (double)c[i] / cTotal + Epsilon;
            score += (cs[i] - bs[i]) * Math.Log(cs[i] / bs[i]);
        }
        return new PsiResult(score, edges, bs, cs);
    }

    /// <summary>Adds each value to its bin (the first inner edge ≥ it, so bins are closed on the right) and returns the values' min and max.</summary>
    private static (double Min, double Max) Count(ReadOnlySpan<double> values, double[] inner, long[] counts)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        if (inner.Length <= 16)
        {
            // Few edges (the default 10 bins has 9): the bin is the number of edges below the value. Counting every edge
            // has no data-dependent branch, where a binary search mispredicts about every other step on random data.
            foreach (var v in values)
            {
                var bin = 0;
                foreach (var e in inner) bin += e < v ? 1 : 0;
                counts[bin]++;
                if (v < min) min = v;
                if (v > max) max = v;
            }
            return (min, max);
        }
        foreach (var v in values)
        {
            int lo = 0, hi = inner.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (inner[mid] < v) lo = mid + 1; else hi = mid;
            }
            counts[lo]++;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max);
    }

    /// <summary>Quantile of sorted data by linear interpolation between closest ranks (R type 7, numpy's default).</summary>
    internal static double QuantileOfSorted(double[] sorted, double q)
    {
        if (sorted.Length == 1) return sorted[0];
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
