using Vigil.Core.Drift;

namespace Vigil.Core.Tests.Drift;

public class DriftMeasureTests
{
    private static (Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current) SameDistribution(int nb, int nc)
    {
        var rng = new Random(11);
        WindowSamples Window(int n)
        {
            var w = new WindowSamples { Total = n };
            for (var i = 0; i < n; i++) w.Latency.Add(Math.Exp(5 + 0.5 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())));
            return w;
        }
        var g = new DriftGroup("llm", null, null);
        return (new() { [g] = Window(nb) }, new() { [g] = Window(nc) });
    }

    private static DriftSettings Settings(int minSamplesPerBin) => new(true, 60, 24, 1, DriftBinning.Quantile, DriftGroupBy.Kind, 10, 5, 10, minSamplesPerBin);

    [Fact]
    public void Small_current_windows_get_fewer_quantile_bins_so_noise_stays_under_the_threshold()
    {
        var (b, c) = SameDistribution(500, 40);

        var adaptive = Assert.Single(DriftDetector.Measure("p", Settings(20), b, c, 0), m => m.Measurement.Metric == DriftMetric.Latency);
        var fixedTen = Assert.Single(DriftDetector.Measure("p", Settings(0), b, c, 0), m => m.Measurement.Metric == DriftMetric.Latency);

        Assert.Equal(2, adaptive.Histogram.Baseline.Length); // 40 current spans / 20 per bin
        Assert.Equal(10, fixedTen.Histogram.Baseline.Length);
        Assert.True(adaptive.Measurement.PsiScore < DriftSeverity.MediumThreshold, $"adaptive PSI {adaptive.Measurement.PsiScore}");
        Assert.True(fixedTen.Measurement.PsiScore > adaptive.Measurement.PsiScore, $"fixed PSI {fixedTen.Measurement.PsiScore}");
    }

    [Theory]
    [InlineData(5, 2)]
    [InlineData(40, 2)]
    [InlineData(100, 5)]
    [InlineData(200, 10)]
    [InlineData(5000, 10)]
    public void Quantile_bins_follow_the_current_sample_count(int currentCount, int bins) =>
        Assert.Equal(bins, Settings(20).QuantileBins(currentCount));
}
