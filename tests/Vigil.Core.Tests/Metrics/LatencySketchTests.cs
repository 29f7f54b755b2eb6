using Vigil.Core.Drift;
using Vigil.Core.Metrics;

namespace Vigil.Core.Tests.Metrics;

public class LatencySketchTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 1_000)]
    [InlineData(3, 50_000)]
    public void Quantiles_are_within_one_percent_of_the_exact_ones(int seed, int n)
    {
        var rng = new Random(seed);
        var values = Enumerable.Range(0, n).Select(_ => (long)Math.Max(0, Math.Exp(11 + 1.5 * Normal(rng)))).ToArray(); // µs, heavy-tailed
        var sketch = new LatencySketch();
        foreach (var v in values) sketch.Add(v);
        var sorted = values.Select(v => (double)v).Order().ToArray();
        foreach (var q in new[] { 0.0, 0.5, 0.9, 0.95, 0.99, 1.0 })
        {
            var exact = Psi.QuantileOfSorted(sorted, q);
            Assert.InRange(sketch.Quantile(q)!.Value, exact * (1 - LatencySketch.RelativeAccuracy) - 1e-9, exact * (1 + LatencySketch.RelativeAccuracy) + 1e-9);
        }
    }

    [Fact]
    public void Adding_and_removing_in_any_order_gives_the_same_encoding()
    {
        var a = new LatencySketch();
        var b = new LatencySketch();
        long[] values = [0, 1, 5, 999, 1_000, 1_001, 250_000, 3_600_000_000];
        foreach (var v in values) a.Add(v);
        foreach (var v in values.Reverse()) { b.Add(v); b.Add(v * 3 + 7); }
        foreach (var v in values) b.Add(v * 3 + 7, -1);
        Assert.Equal(a.Encode(), b.Encode());
        Assert.Equal(a.Encode(), LatencySketch.Decode(a.Encode()).Encode());
        Assert.Equal(values.Length, LatencySketch.Decode(a.Encode()).Count);
        Assert.Null(new LatencySketch().Quantile(0.5));
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
