namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// One project's spans folded into per-minute aggregates by (kind, name, model): count, errors, tokens, cost, the latest
/// start and the latencies (kept exactly, for exact percentiles). Minutes are sealed in start-time order; a monitor's
/// window is measured by adding the minutes it covers (a window starts on a minute boundary: the minute its start falls
/// in counts whole) plus the raw spans of the last minutes, which are re-read at every evaluation.
/// </summary>
internal sealed class MinuteBuckets
{
    public const long MicrosPerMinute = 60_000_000L;

    internal readonly record struct Row(long Id, long StartUs, string Kind, string? Name, string? Model, bool Error, double? DurationMs, long Tokens, double Cost);

    private readonly record struct Group(string Kind, string? Name, string? Model);

    private sealed class Agg
    {
        public long Count, Errors, Tokens, LatestStartUs = long.MinValue;
        public double Cost;
        public readonly List<double> Latencies = [];

        public void Add(in Row r)
        {
            Count++;
            if (r.Error) Errors++;
            Tokens += r.Tokens;
            Cost += r.Cost;
            if (r.StartUs > LatestStartUs) LatestStartUs = r.StartUs;
            if (r.DurationMs is { } d) Latencies.Add(d);
        }
    }

    private sealed record Minute(long StartUs, Dictionary<Group, Agg> Groups);

    private readonly List<Minute> _minutes = [];

    /// <summary>Start of the first sealed minute (inclusive) and end of the last (exclusive): the sealed range.</summary>
    public long FromUs { get; set; } = long.MaxValue;
    public long ToUs { get; set; } = long.MinValue;

    /// <summary>Every span with an id up to here has been folded in (when its start is in the sealed range).</summary>
    public long MaxId { get; set; }

    public bool IsEmpty => FromUs >= ToUs;

    public static long Floor(long us) => us - (((us % MicrosPerMinute) + MicrosPerMinute) % MicrosPerMinute);

    public void Add(in Row r)
    {
        var minuteUs = Floor(r.StartUs);
        var i = IndexOf(minuteUs);
        Minute m;
        if (i < _minutes.Count && _minutes[i].StartUs == minuteUs) m = _minutes[i];
        else _minutes.Insert(i, m = new Minute(minuteUs, []));
        var g = new Group(r.Kind, r.Name, r.Model);
        if (!m.Groups.TryGetValue(g, out var agg)) m.Groups[g] = agg = new Agg();
        agg.Add(r);
    }

    /// <summary>Forgets minutes before <paramref name="fromUs"/>.</summary>
    public void TrimBefore(long fromUs)
    {
        var i = IndexOf(fromUs);
        if (i > 0) _minutes.RemoveRange(0, i);
        if (fromUs > FromUs) FromUs = Math.Min(fromUs, ToUs);
    }

    public void Clear()
    {
        _minutes.Clear();
        (FromUs, ToUs, MaxId) = (long.MaxValue, long.MinValue, 0);
    }

    /// <summary>First minute at or after <paramref name="us"/>.</summary>
    private int IndexOf(long us)
    {
        int lo = 0, hi = _minutes.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_minutes[mid].StartUs < us) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Measures every query at <paramref name="nowUs"/> from the sealed minutes and the <paramref name="live"/> spans (those
    /// starting at or after <see cref="ToUs"/>, read just now).
    /// </summary>
    public IReadOnlyList<MonitorReading> Measure(IReadOnlyList<MonitorQuery> queries, IReadOnlyList<Row> live, long nowUs)
    {
        var results = new MonitorReading[queries.Count];
        // Monitors of the same spans and window share one latency array (p50, p95 and p99 of one group collect once).
        var latencyArrays = new Dictionary<(string?, string?, string?, int), double[]>();
        var buffer = new List<double>();
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var windowStartUs = nowUs - q.WindowMinutes * MicrosPerMinute;
            long count = 0, errors = 0, tokens = 0;
            double cost = 0;
            var latencyKey = (q.SpanKind, q.SpanName, q.Model, q.WindowMinutes);
            var collect = MonitorMetric.IsLatency(q.Metric) && !latencyArrays.ContainsKey(latencyKey);
            buffer.Clear();

            for (var m = IndexOf(Floor(windowStartUs)); m < _minutes.Count && _minutes[m].StartUs < ToUs; m++)
                foreach (var (g, a) in _minutes[m].Groups)
                {
                    if (!Matches(q, g.Kind, g.Name, g.Model)) continue;
                    (count, errors, tokens, cost) = (count + a.Count, errors + a.Errors, tokens + a.Tokens, cost + a.Cost);
                    if (collect) buffer.AddRange(a.Latencies);
                }
            foreach (var r in live)
            {
                if (r.StartUs < windowStartUs || r.StartUs >= nowUs || !Matches(q, r.Kind, r.Name, r.Model)) continue;
                (count, errors, tokens, cost) = (count + 1, errors + (r.Error ? 1 : 0), tokens + r.Tokens, cost + r.Cost);
                if (collect && r.DurationMs is { } d) buffer.Add(d);
            }
            if (collect) latencyArrays[latencyKey] = buffer.ToArray();

            var hours = q.WindowMinutes / 60.0;
            double? value = q.Metric switch
            {
                MonitorMetric.ErrorRate => count == 0 ? null : (double)errors / count,
                MonitorMetric.CostPerHour => cost / hours,
                MonitorMetric.TokensPerHour => tokens / hours,
                MonitorMetric.SpanCount => count,
                _ when MonitorMetric.IsLatency(q.Metric) => latencyArrays[latencyKey] is { Length: > 0 } a ? Quantile.Of(a, MonitorMetric.Quantile(q.Metric)) : null,
                _ => null,
            };
            results[i] = new MonitorReading(value, count, q.NoDataMinutes is { } n && !Seen(q, nowUs - n * MicrosPerMinute, live, nowUs));
        }
        return results;
    }

    /// <summary>Whether a matching span started in [<paramref name="sinceUs"/>, <paramref name="nowUs"/>).</summary>
    private bool Seen(MonitorQuery q, long sinceUs, IReadOnlyList<Row> live, long nowUs)
    {
        foreach (var r in live)
            if (r.StartUs >= sinceUs && r.StartUs < nowUs && Matches(q, r.Kind, r.Name, r.Model)) return true;
        for (var m = _minutes.Count - 1; m >= 0 && _minutes[m].StartUs + MicrosPerMinute > sinceUs; m--)
            foreach (var (g, a) in _minutes[m].Groups)
                if (a.LatestStartUs >= sinceUs && Matches(q, g.Kind, g.Name, g.Model)) return true;
        return false;
    }

    private static bool Matches(MonitorQuery q, string kind, string? name, string? model) =>
        (q.SpanKind is null || q.SpanKind == kind) && (q.SpanName is null || q.SpanName == name) && (q.Model is null || q.Model == model);
}
