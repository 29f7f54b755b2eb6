using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Metrics;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Metrics;

public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/metrics", GetAsync).RequireAuthorization(AuthExtensions.ProjectKeyPolicy)
            .WithTags("Metrics").WithName("GetMetrics")
            .WithSummary("Latency p50/p95/p99, error rate, tokens, cost and span counts per kind over time buckets (default: last 24 h by 1 h)");
        return app;
    }

    private static async Task<Results<Ok<MetricsResponse>, ValidationProblem>> GetAsync(
        HttpContext http, MetricsService metrics, TimeProvider time, CancellationToken ct,
        string? start_date = null, string? end_date = null, string? bucket = null)
    {
        var errors = new QueryErrors();
        var end = errors.Date(end_date, "end_date") ?? time.GetUtcNow();
        var start = errors.Date(start_date, "start_date") ?? end.AddHours(-24);
        var width = TimeSpan.FromHours(1);
        if (bucket is not null && !MetricsBucket.TryParse(bucket, out width)) errors.Add("bucket", "must be a number and a unit s, m, h or d, e.g. 5m, 1h, 1d");
        else if (width.Ticks % TimeSpan.TicksPerMinute != 0) errors.Add("bucket", "must be a whole number of minutes (metrics are kept per minute), e.g. 5m, 1h, 1d");
        if (!errors.Any && end <= start) errors.Add("end_date", "must be after start_date");
        if (!errors.Any && (end - start) / width > MetricsService.MaxBuckets)
            errors.Add("bucket", $"gives more than {MetricsService.MaxBuckets} buckets over the range; choose a wider bucket");
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);

        var result = await metrics.GetAsync(http.User.GetProjectId(), start, end, width, ct);
        return TypedResults.Ok(MetricsResponse.From(result));
    }
}
