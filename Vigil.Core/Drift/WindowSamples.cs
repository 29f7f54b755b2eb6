namespace Vigil.Core.Drift;

/// <summary>The raw metric values of one group in one window, as read from the typed span columns.</summary>
public sealed class WindowSamples
{
    public List<double> Latency { get; } = [];
    public List<double> Tokens { get; } = [];
    public List<double> Cost { get; } = [];
    public List<double> OutputLength { get; } = [];
    /// <summary>Every span of the group in the window: the denominator of the error rate.</summary>
    public long Total { get; set; }
    public long Errors { get; set; }

    public List<double>? Values(string metric) => metric switch
    {
        DriftMetric.Latency => Latency,
        DriftMetric.Tokens => Tokens,
        DriftMetric.Cost => Cost,
        DriftMetric.OutputLength => OutputLength,
        _ => null,
    };

    public int Count(string metric) => metric == DriftMetric.ErrorRate ? (int)Math.Min(Total, int.MaxValue) : Values(metric)!.Count;

    /// <summary>The headline value shown next to the PSI: the mean (the error rate: the share of errors).</summary>
    public double Summary(string metric)
    {
        if (metric == DriftMetric.ErrorRate) return Total == 0 ? 0 : (double)Errors / Total;
        var values = Values(metric)!;
        if (values.Count == 0) return 0;
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }
}
