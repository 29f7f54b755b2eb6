using Vigil.Core;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Projects;
using Vigil.Web.Auth;
using Vigil.Web.Ingest.Grpc;

namespace Vigil.Web.Protection;

/// <summary>
/// Built-in rate limiting: ingest (<c>POST /v1/traces</c>, <c>/v1/logs</c>, OTLP/gRPC) per API key and per IP (both must
/// admit a request), sign-in per IP. Rejections answer 429 with Retry-After and a problem body (gRPC: UNAVAILABLE). With
/// Redis configured the windows count for the whole cluster (<see cref="ClusterRateLimiter"/>), else per instance.
/// </summary>
public static class RateLimiting
{
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddVigilRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(configuration, RateLimitOptions.Section);
        services.AddRateLimiter(_ => { });
        services.AddSingleton<FailedKeyLimiter>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IServiceProvider>((o, limits, sp) =>
        {
            var l = limits.Value;
            var bus = sp.GetService<RedisBus>();
            // Partitions are an API key's row id (never the secret), a client IP: with Redis, windows the cluster shares.
            RateLimitPartition<string> Limit(string kind, string value, RateLimitWindow w) => bus is null
                ? RateLimitPartition.GetFixedWindowLimiter(kind + ":" + value, _ => Window(w))
                : RateLimitPartition.Get(kind + ":" + value, p => new ClusterRateLimiter(bus, p, Window(w)));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.AddPolicy(SignInPolicy, http => l.Enabled
                ? Limit("sign-in-ip", ClientIp(http), l.SignInPerIp)
                : RateLimitPartition.GetNoLimiter(""));
            // Ingest needs a permit from its key's window and from its IP's window: a chained global limiter (the
            // per-endpoint policy API partitions by one key only). Other requests get no limiter. The limiter runs after
            // authorization, so the key is a known one (its row id is the partition): made-up keys never reach it and so
            // cannot grow its partitions; they are answered by authentication and limited there (FailedKeyLimiter).
            var perKey = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                l.Enabled && IsIngest(http) && http.User.FindFirst(VigilClaims.KeyPrefix) is not null
                    && http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } keyId
                    ? Limit("key", keyId, l.IngestPerKey)
                    : RateLimitPartition.GetNoLimiter(""));
            var perIp = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                l.Enabled && IsIngest(http)
                    ? Limit("ip", ClientIp(http), l.IngestPerIp)
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

    /// <summary>The client's address (the forwarded one when a trusted proxy sent the request).</summary>
    internal static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static FixedWindowRateLimiterOptions Window(RateLimitWindow w) => new()
    {
        PermitLimit = w.PermitLimit,
        Window = TimeSpan.FromSeconds(w.WindowSeconds),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after
            // A cluster (Redis) window gives whole seconds.
            : context.Lease.TryGetMetadata(MetadataName.RetryAfter.Name, out var whole) && whole is int w ? TimeSpan.FromSeconds(w)
            : TimeSpan.FromSeconds(1);
        await TooManyRequestsAsync(context.HttpContext, retryAfter, "Rate limit reached");
    }

    /// <summary>429 with Retry-After (whole seconds, at least 1) and a problem body.</summary>
    internal static async Task TooManyRequestsAsync(HttpContext http, TimeSpan retryAfter, string reason)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        if (GrpcCalls.IsGrpc(http.Request))
        {
            // UNAVAILABLE is what OTLP/gRPC exporters retry with backoff.
            await GrpcCalls.WriteStatusAsync(http, GrpcCalls.Unavailable, $"{reason}; retry in {seconds} s.");
            return;
        }
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(new ProblemDetails
        {
            Status = 429,
            Title = "Too many requests",
            Detail = $"{reason}; retry in {seconds} s.",
        }).ExecuteAsync(http);
    }
}
