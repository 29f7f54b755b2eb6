using Vigil.Core.Metrics;

namespace Vigil.Web.Metrics;

public sealed record MetricsResponse(DateTime StartDate, DateTime EndDate, int BucketSeconds, IReadOnlyList<MetricsSeriesDto> Series)
{
    public static MetricsResponse From(MetricsResult r) => new(r.Start, r.End, (int)r.Bucket.TotalSeconds,
        r.Series.Select(s => new MetricsSeriesDto(s.Kind, s.Points.Select(p => new MetricsPointDto(
            p.Time, p.SpanCount, p.ErrorCount, p.ErrorRate, p.LatencyP50, p.LatencyP95, p.LatencyP99, p.Tokens, p.CostUsd)).ToList())).ToList());
}

public sealed record MetricsSeriesDto(string Kind, IReadOnlyList<MetricsPointDto> Points);

public sealed record MetricsPointDto(DateTime Time, long SpanCount, long ErrorCount, double ErrorRate,
    double? LatencyP50Ms, double? LatencyP95Ms, double? LatencyP99Ms, long Tokens, double CostUsd);
