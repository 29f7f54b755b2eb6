using Vigil.Core.Drift;

namespace Vigil.Core.Tests.Drift;

public class PsiTests
{
    private static double[] Range(int from, int count, double scale = 1) => Enumerable.Range(from, count).Select(i => i * scale).ToArray();

    [Theory]
    [InlineData(DriftBinning.Quantile)]
    [InlineData(DriftBinning.EqualWidth)]
    public void Identical_distributions_score_zero(DriftBinning binning)
    {
        var values = Range(1, 100);
        Assert.Equal(0, Psi.Compute(values, values, binning).Score, 12);
    }

    [Theory]
    [InlineData(DriftBinning.Quantile)]
    [InlineData(DriftBinning.EqualWidth)]
    public void Shifted_distribution_scores_above_high_threshold(DriftBinning binning)
    {
        var score = Psi.Compute(Range(1, 100), Range(50, 100), binning).Score;
        Assert.True(score > DriftSeverity.HighThreshold, $"PSI {score}");
        Assert.Equal(DriftSeverity.High, DriftSeverity.Of(score));
    }

    [Theory]
    [InlineData(DriftBinning.Quantile)]
    [InlineData(DriftBinning.EqualWidth)]
    public void Empty_and_constant_inputs_score_zero(DriftBinning binning)
    {
        Assert.Equal(0, Psi.Compute([], [1, 2, 3], binning).Score);
        Assert.Equal(0, Psi.Compute([1, 2, 3], [], binning).Score);
        Assert.Equal(0, Psi.Compute([], [], binning).Score);
        double[] constant = [5, 5, 5, 5, 5, 5];
        Assert.Equal(0, Psi.Compute(constant, [5, 5, 5], binning).Score, 12);
    }

    [Fact]
    public void Equal_width_matches_the_hand_computed_value()
    {
        // Range 0..1 over both windows; 10 bins: the 0s land in bin 0, the 1s in bin 9 (index clamped), 8 bins empty.
        // baseline shares 2/4, 2/4; current 1/4, 3/4; each + 1e-4; empty bins add (1e-4 − 1e-4)·ln 1 = 0.
        double b0 = 0.5 + 1e-4, b9 = 0.5 + 1e-4, c0 = 0.25 + 1e-4, c9 = 0.75 + 1e-4;
        var expected = (c0 - b0) * Math.Log(c0 / b0) + (c9 - b9) * Math.Log(c9 / b9); // ≈ 0.27459
        var r = Psi.EqualWidth([0, 0, 1, 1], [0, 1, 1, 1]);
        Assert.Equal(expected, r.Score, 12);
        Assert.Equal(0.27459, r.Score, 4);
        Assert.Equal(11, r.Edges.Length);
        Assert.Equal(0.1, r.Edges[1], 12);
    }

    [Fact]
    public void Equal_width_uses_the_combined_range_and_clamps_the_maximum_into_the_last_bin()
    {
        // min 0, max 10 over both windows, width 1: baseline {0,1} → bins 0 and 1; current {10,10} → bin 9 (clamped).
        var r = Psi.EqualWidth([0, 1], [10, 10]);
        double b = 0.5 + 1e-4, e = 1e-4, c = 1 + 1e-4;
        var expected = 2 * (e - b) * Math.Log(e / b) + (c - e) * Math.Log(c / e);
        Assert.Equal(expected, r.Score, 10);
        Assert.Equal(c, r.CurrentShares[9], 12);
    }

    [Fact]
    public void Quantile_matches_the_hand_computed_value()
    {
        // Baseline 1..4 with 2 bins: median edge 2.5; baseline shares 2/4, 2/4. Current {1,3,4,5}: 1/4 ≤ 2.5, 3/4 above.
        var r = Psi.Quantile([1, 2, 3, 4], [1, 3, 4, 5], bins: 2);
        double b = 0.5 + 1e-4, c0 = 0.25 + 1e-4, c1 = 0.75 + 1e-4;
        var expected = (c0 - b) * Math.Log(c0 / b) + (c1 - b) * Math.Log(c1 / b);
        Assert.Equal(expected, r.Score, 12);
        Assert.Equal([1, 2.5, 5], r.Edges);
    }

    [Fact]
    public void Quantile_merges_duplicate_edges_from_ties()
    {
        // Half the baseline is 0: the deciles 0.1..0.4 all sit at 0 and merge into one edge.
        var baseline = Enumerable.Repeat(0.0, 50).Concat(Range(1, 50)).ToArray();
        var r = Psi.Quantile(baseline, baseline);
        Assert.Equal(0, r.Score, 12);
        Assert.True(r.BaselineShares.Length < 10, $"{r.BaselineShares.Length} bins");
        var inner = r.Edges[1..^1];
        Assert.Equal(inner.Distinct().Count(), inner.Length);
        Assert.Equal(0.5 + 1e-4, r.BaselineShares[0], 12); // the tied mass stays together in the first bin (closed on the right)
    }

    [Fact]
    public void Quantile_edges_from_a_sample_of_a_large_baseline_still_count_every_value()
    {
        var rng = new Random(7);
        var baseline = Enumerable.Range(0, 200_000).Select(_ => Math.Exp(rng.NextDouble() * 3)).ToArray();
        var same = Enumerable.Range(0, 5_000).Select(_ => Math.Exp(rng.NextDouble() * 3)).ToArray();
        var r = Psi.Quantile(baseline, same);
        Assert.True(r.Score < 0.02, $"PSI {r.Score}");
        Assert.Equal(1, r.BaselineShares.Sum() - r.BaselineShares.Length * 1e-4, 9);
        Assert.All(r.BaselineShares, b => Assert.InRange(b, 0.09, 0.11));
        Assert.True(Psi.Quantile(baseline, same.Select(v => v * 2).ToArray()).Score > DriftSeverity.HighThreshold);
    }

    [Fact]
    public void Quantile_sees_a_shift_away_from_a_constant_baseline()
    {
        var r = Psi.Quantile([5, 5, 5, 5, 5, 5, 5, 5, 5, 5], [9, 9, 9, 9, 9]);
        Assert.True(r.Score > DriftSeverity.HighThreshold);
    }

    [Fact]
    public void Heavy_tail_hides_a_shift_from_equal_width_but_not_from_quantile_bins()
    {
        // Latency-like: a 100–194 ms body plus 5 % outliers at 10 s. The current body is 50 % slower, same outliers.
        var baseline = Range(0, 95).Select(i => 100 + i).Concat(Enumerable.Repeat(10_000.0, 5)).ToArray();
        var current = Range(0, 95).Select(i => 150 + i * 1.5).Concat(Enumerable.Repeat(10_000.0, 5)).ToArray();

        var equalWidth = Psi.EqualWidth(baseline, current).Score;
        var quantile = Psi.Quantile(baseline, current).Score;

        // Equal-width bins are ~990 ms wide: the whole body of both windows falls in bin 0, so the shift is invisible.
        Assert.True(equalWidth < DriftSeverity.MediumThreshold, $"equal-width PSI {equalWidth}");
        Assert.True(quantile > DriftSeverity.HighThreshold, $"quantile PSI {quantile}");
    }

    [Theory]
    [InlineData(0, 20, 5, 10)]
    [InlineData(2, 50, 2, 50)]
    [InlineData(3, 30, 0, 10)]
    [InlineData(10, 10, 4, 10)]
    public void Binary_equals_equal_width_over_the_outcome(int bHits, int bTotal, int cHits, int cTotal)
    {
        static double[] Outcomes(int hits, int total) => Enumerable.Range(0, total).Select(i => i < hits ? 1.0 : 0.0).ToArray();
        var expected = Psi.EqualWidth(Outcomes(bHits, bTotal), Outcomes(cHits, cTotal)).Score;
        Assert.Equal(expected, Psi.Binary(bHits, bTotal, cHits, cTotal).Score, 12);
    }

    [Fact]
    public void Binary_without_errors_on_either_side_is_zero()
    {
        Assert.Equal(0, Psi.Binary(0, 100, 0, 10).Score);
        Assert.Equal(0, Psi.Binary(0, 0, 1, 10).Score);
    }

    [Theory]
    [InlineData(0.0, null)]
    [InlineData(0.0999, null)]
    [InlineData(0.1, "medium")]
    [InlineData(0.1999, "medium")]
    [InlineData(0.2, "high")]
    [InlineData(3.0, "high")]
    public void Severity_thresholds(double psi, string? expected) => Assert.Equal(expected, DriftSeverity.Of(psi));
}
