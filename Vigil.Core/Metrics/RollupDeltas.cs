using Vigil.Core.Traces;

namespace Vigil.Core.Metrics;

/// <summary>
/// The changes one write transaction makes to the metric rollups and project counts, summed in memory while its spans
/// are written (or deleted) and applied once before the commit, one row per touched minute and hour. A re-sent span
/// subtracts what its stored row contributed and adds what the merged row contributes, so rollups stay exact.
/// </summary>
internal sealed class RollupDeltas
{
    private readonly Dictionary<Key, Sums> _minutes = [];
    private readonly Dictionary<string, (long Traces, long Spans)> _counts = new(StringComparer.Ordinal);

    public readonly record struct Key(string ProjectId, int BucketSeconds, long BucketStartUs, string Kind, string Model);

    public sealed class Sums
    {
        public long SpanCount, ErrorCount, InputTokens, OutputTokens, CostNanoUsd, LatencyCount, LatencySumUs;
        public readonly LatencySketch Sketch = new();

        public bool IsZero => SpanCount == 0 && ErrorCount == 0 && InputTokens == 0 && OutputTokens == 0 && CostNanoUsd == 0
            && LatencyCount == 0 && LatencySumUs == 0 && Sketch.IsEmpty;

        public void Add(Sums other, long sign = 1)
        {
            SpanCount += sign * other.SpanCount;
            ErrorCount += sign * other.ErrorCount;
            InputTokens += sign * other.InputTokens;
            OutputTokens += sign * other.OutputTokens;
            CostNanoUsd += sign * other.CostNanoUsd;
            LatencyCount += sign * other.LatencyCount;
            LatencySumUs += sign * other.LatencySumUs;
            Sketch.Merge(other.Sketch, sign);
        }

        public void AddTo(MetricRollup row)
        {
            row.SpanCount += SpanCount;
            row.ErrorCount += ErrorCount;
            row.InputTokens += InputTokens;
            row.OutputTokens += OutputTokens;
            row.CostNanoUsd += CostNanoUsd;
            row.LatencyCount += LatencyCount;
            row.LatencySumUs += LatencySumUs;
            if (!Sketch.IsEmpty)
            {
                var merged = row.LatencySketch is null ? new LatencySketch() : Metrics.LatencySketch.Decode(row.LatencySketch);
                merged.Merge(Sketch);
                row.LatencySketch = merged.IsEmpty ? null : merged.Encode();
            }
        }

        public static bool IsEmptyRow(MetricRollup r) => r.SpanCount == 0 && r.ErrorCount == 0 && r.InputTokens == 0 && r.OutputTokens == 0
            && r.CostNanoUsd == 0 && r.LatencyCount == 0 && r.LatencySumUs == 0 && r.LatencySketch is null;
    }

    public bool IsEmpty => _minutes.Count == 0 && _counts.Count == 0;

    /// <summary>Adds (<paramref name="sign"/> = 1) or removes (−1) a span's contribution.</summary>
    public void Add(in SpanContribution c, int sign)
    {
        var key = new Key(c.ProjectId, MetricRollup.Minute, c.MinuteUs, c.Kind, c.Model ?? "");
        if (!_minutes.TryGetValue(key, out var s)) _minutes[key] = s = new Sums();
        s.SpanCount += sign;
        if (c.Status == SpanStatus.Error) s.ErrorCount += sign;
        s.InputTokens += sign * (c.InputTokens ?? 0);
        s.OutputTokens += sign * (c.OutputTokens ?? 0);
        s.CostNanoUsd += sign * MetricRollup.ToNanoUsd(c.CostUsd);
        if (c.EndUs is { } end)
        {
            var d = end - c.StartUs;
            s.LatencyCount += sign;
            s.LatencySumUs += sign * d;
            s.Sketch.Add(d, sign);
        }
    }

    public void AddCounts(string projectId, long traces, long spans)
    {
        if (traces == 0 && spans == 0) return;
        var (t, s) = _counts.GetValueOrDefault(projectId);
        _counts[projectId] = (t + traces, s + spans);
    }

    /// <summary>The non-zero changes per minute row and per hour row (the hour's being the sum of its minutes').</summary>
    public List<(Key Key, Sums Sums)> Rows()
    {
        var rows = new List<(Key, Sums)>(_minutes.Count * 2);
        var hours = new Dictionary<Key, Sums>();
        foreach (var (k, s) in _minutes)
        {
            if (s.IsZero) continue;
            rows.Add((k, s));
            var hk = k with { BucketSeconds = MetricRollup.Hour, BucketStartUs = SpanContribution.Floor(k.BucketStartUs, MetricRollup.Hour) };
            if (!hours.TryGetValue(hk, out var h)) hours[hk] = h = new Sums();
            h.Add(s);
        }
        foreach (var (k, s) in hours)
            if (!s.IsZero) rows.Add((k, s));
        // A fixed order: PostgreSQL writers lock rows in it, so two never wait on each other in opposite orders.
        rows.Sort((a, b) => Compare(a.Item1, b.Item1));
        return rows;
    }

    public IEnumerable<(string ProjectId, long Traces, long Spans)> Counts() =>
        _counts.Where(kv => kv.Value != (0, 0)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value.Traces, kv.Value.Spans));

    public void Clear()
    {
        _minutes.Clear();
        _counts.Clear();
    }

    private static int Compare(Key a, Key b)
    {
        var c = string.CompareOrdinal(a.ProjectId, b.ProjectId);
        if (c == 0) c = a.BucketSeconds.CompareTo(b.BucketSeconds);
        if (c == 0) c = a.BucketStartUs.CompareTo(b.BucketStartUs);
        if (c == 0) c = string.CompareOrdinal(a.Kind, b.Kind);
        if (c == 0) c = string.CompareOrdinal(a.Model, b.Model);
        return c;
    }
}
