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
    /// <summary>Numeric scores (booleans as 1/0) of the group's spans, per score name.</summary>
    public Dictionary<string, List<double>>? Scores { get; private set; }

    public void AddScore(string name, double value)
    {
        Scores ??= new Dictionary<string, List<double>>(StringComparer.Ordinal);
        if (!Scores.TryGetValue(name, out var list)) Scores[name] = list = [];
        list.Add(value);
    }

    /// <summary>The metrics this group can be compared on: the span metrics and one per score name (<see cref="DriftMetric.Score"/>).</summary>
    public IEnumerable<string> Metrics() => Scores is null ? DriftMetric.All
        : DriftMetric.All.Concat(Scores.Keys.Order(StringComparer.Ordinal).Select(DriftMetric.Score));

    public List<double>? Values(string metric) => metric switch
    {
        DriftMetric.Latency => Latency,
        DriftMetric.Tokens => Tokens,
        DriftMetric.Cost => Cost,
        DriftMetric.OutputLength => OutputLength,
        _ => DriftMetric.ScoreName(metric) is { } name ? Scores?.GetValueOrDefault(name) ?? [] : null,
    };

    /// <summary>Joins per-slice samples in slice order: the lists read as if the slices had been one query.</summary>
    internal static Dictionary<DriftGroup, WindowSamples> Concat(ReadOnlySpan<Dictionary<DriftGroup, WindowSamples>> slices)
    {
        if (slices.Length == 1) return slices[0];
        var keys = new HashSet<DriftGroup>();
        foreach (var slice in slices) keys.UnionWith(slice.Keys);
        var joined = new Dictionary<DriftGroup, WindowSamples>(keys.Count);
        foreach (var key in keys)
        {
            var parts = new List<WindowSamples>(slices.Length);
            foreach (var slice in slices)
                if (slice.TryGetValue(key, out var part)) parts.Add(part);
            var w = new WindowSamples { Total = parts.Sum(p => p.Total), Errors = parts.Sum(p => p.Errors) };
            Join(w.Latency, parts.Select(p => p.Latency));
            Join(w.Tokens, parts.Select(p => p.Tokens));
            Join(w.Cost, parts.Select(p => p.Cost));
            Join(w.OutputLength, parts.Select(p => p.OutputLength));
            joined[key] = w;
        }
        return joined;
    }

    private static void Join(List<double> into, IEnumerable<List<double>> parts)
    {
        into.Capacity = parts.Sum(p => p.Count);
        foreach (var p in parts) into.AddRange(p);
    }

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
