using Vigil.Core.Metrics;

namespace Vigil.Web.Charts;

/// <summary>
/// The buckets of a metrics range as the API cuts them (aligned to multiples of the width since the epoch, the first and
/// last cut to the range): one chart point per bucket, at its middle.
/// </summary>
public sealed class BucketGrid
{
    private readonly List<(DateTime Start, DateTime Middle)> _buckets = [];

    public static BucketGrid Of(DateTime start, DateTime end, TimeSpan width)
    {
        var grid = new BucketGrid();
        if (width <= TimeSpan.Zero || end <= start) return grid;
        // Metrics resolve to the minute: the first bucket starts at the minute holding the range's start, as the API's does.
        start = new DateTime(start.Ticks - start.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var first = new DateTime(start.Ticks - (start.Ticks - DateTime.UnixEpoch.Ticks) % width.Ticks, DateTimeKind.Utc);
        for (var b = first; b < end && grid._buckets.Count <= MetricsService.MaxBuckets; b += width)
        {
            var from = b < start ? start : b;
            var to = b + width > end ? end : b + width;
            grid._buckets.Add((from, from + (to - from) / 2));
        }
        return grid;
    }

    public int Count => _buckets.Count;

    /// <summary>A series' value in every bucket: from its point there, else <paramref name="empty"/> (0 for counts, null for rates and latencies).</summary>
    public TimeSeries Line(string label, MetricsSeries series, Func<MetricsPoint, double?> value, double? empty)
    {
        var byStart = series.Points.ToDictionary(p => p.Time);
        return new TimeSeries(label, [.. _buckets.Select(b => b.Middle)],
            [.. _buckets.Select(b => byStart.TryGetValue(b.Start, out var p) ? value(p) : empty)]);
    }
}
