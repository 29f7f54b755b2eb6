using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vigil.Web.Auth;
using Vigil.Web.Ingest.Grpc;

namespace Vigil.Web.Protection;

/// <summary>
/// Built-in rate limiting: ingest (<c>POST /v1/traces</c>, <c>/v1/logs</c>, OTLP/gRPC) per API key and per IP (both must admit a request), sign-in per IP.
/// Rejections answer 429 with Retry-After and a problem body.
/// </summary>
public static class RateLimiting
{
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddVigilRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => !o.Validate().Any(), "Vigil:RateLimits is invalid").ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, Validator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.AddPolicy(SignInPolicy, http => l.Enabled
                ? RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientIp(http), _ => Window(l.SignInPerIp))
                : RateLimitPartition.GetNoLimiter(""));
            // Ingest needs a permit from its key's window and from its IP's window: a chained global limiter (the
            // per-endpoint policy API partitions by one key only). Other requests get no limiter.
            var perKey = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                l.Enabled && IsIngest(http) && ApiKeyAuthenticationHandler.ReadKey(http.Request) is { } key
                    // The secret itself is the partition key: in memory only, never logged.
                    ? RateLimitPartition.GetFixedWindowLimiter("key:" + key, _ => Window(l.IngestPerKey))
                    : RateLimitPartition.GetNoLimiter(""));
            var perIp = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                l.Enabled && IsIngest(http)
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientIp(http), _ => Window(l.IngestPerIp))
                    : RateLimitPartition.GetNoLimiter(""));
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(perKey, perIp);
        });
        return services;
    }

    /// <summary>OTLP and native ingest, over HTTP (<c>/v1/traces</c>, <c>/v1/logs</c>) or gRPC (TraceService, LogsService).</summary>
    private static bool IsIngest(HttpContext http) => HttpMethods.IsPost(http.Request.Method) && (
        http.Request.Path.Equals("/v1/traces") || http.Request.Path.Equals("/v1/logs")
        || http.Request.Path.StartsWithSegments("/opentelemetry.proto.collector.trace.v1.TraceService")
        || http.Request.Path.StartsWithSegments("/opentelemetry.proto.collector.logs.v1.LogsService"));

    private static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static FixedWindowRateLimiterOptions Window(RateLimitWindow w) => new()
    {
        PermitLimit = w.PermitLimit,
        Window = TimeSpan.FromSeconds(w.WindowSeconds),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        if (GrpcCalls.IsGrpc(context.HttpContext.Request))
        {
            // UNAVAILABLE is what OTLP/gRPC exporters retry with backoff.
            await GrpcCalls.WriteStatusAsync(context.HttpContext, GrpcCalls.Unavailable, $"Rate limit reached; retry in {seconds} s.");
            return;
        }
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(new ProblemDetails
        {
            Status = 429,
            Title = "Too many requests",
            Detail = $"Rate limit reached; retry in {seconds} s.",
        }).ExecuteAsync(context.HttpContext);
    }

    private sealed class Validator : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
            options.Validate().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
