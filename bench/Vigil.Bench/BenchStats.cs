namespace Vigil.Bench;

/// <summary>Small statistics the bench scenarios share.</summary>
internal static class BenchStats
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? 0 : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>A standard normal sample (Box–Muller), for log-normal latencies.</summary>
    public static double NormalNoise(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
