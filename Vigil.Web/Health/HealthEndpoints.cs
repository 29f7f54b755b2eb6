using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;
using Vigil.Web.Api;

namespace Vigil.Web.Health;

/// <summary>
/// ASP.NET Core health checks behind <c>/health</c> (liveness: the process answers, no check runs) and <c>/ready</c>
/// (readiness: every check tagged <see cref="ReadyTag"/>). The answers are those of the API: <c>{"status":"ok"}</c>,
/// <c>{"status":"ready"}</c>, or 503 with a problem body naming what is wrong. With Redis configured the answer names it
/// (<c>"redis":"connected"</c>); Redis is only a bus, so while it is away this instance still serves everything but live
/// pushes between instances: it stays in the load balancer and says <c>"status":"degraded","redis":"unavailable"</c>.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public sealed record HealthResponse(string Status);

    public static IServiceCollection AddVigilHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            // A real query: opening a connection succeeds even for a SQLite file that is not a database.
            .AddDbContextCheck<VigilDbContext>("database", HealthStatus.Unhealthy, [ReadyTag], async (db, ct) =>
            {
                await db.Projects.AsNoTracking().AnyAsync(ct);
                return true;
            })
            // Writes: while the writers last failed on a storage fault, a probing write decides (see StorageHealth).
            .AddCheck<StorageWritesCheck>("writes", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<RedisCheck>(RedisCheck.Name, HealthStatus.Degraded, [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (http, _) => WriteAsync(http, "ok", null) })
            .WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        app.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = (http, report) => WriteAsync(http, "ready", report),
        }).WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        return app;
    }

    private sealed class StorageWritesCheck(StorageHealth storage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            await storage.CheckAsync(ct) is { } fault
                ? HealthCheckResult.Unhealthy($"The database cannot take writes: {fault.Summary}.")
                : HealthCheckResult.Healthy();
    }

    /// <summary>Healthy without Redis configured (single instance) or while connected; degraded while it is away.</summary>
    private sealed class RedisCheck(IServiceProvider services) : IHealthCheck
    {
        public const string Name = "redis";

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(services.GetService<RedisBus>() switch
            {
                null => HealthCheckResult.Healthy(),
                { IsConnected: true } => HealthCheckResult.Healthy("connected", Configured),
                _ => HealthCheckResult.Degraded("unavailable", data: Configured),
            });

        private static readonly IReadOnlyDictionary<string, object> Configured = new Dictionary<string, object> { ["configured"] = true };
    }

    private static Task WriteAsync(HttpContext http, string healthy, HealthReport? report)
    {
        if (report is null || report.Status != HealthStatus.Unhealthy)
        {
            http.Response.ContentType = "application/json";
            var status = report?.Status == HealthStatus.Degraded ? "degraded" : healthy;
            object body = report is not null && report.Entries.TryGetValue(RedisCheck.Name, out var redis) && redis.Data.ContainsKey("configured")
                ? new { status, redis = redis.Description }
                : new { status };
            return http.Response.WriteAsync(JsonSerializer.Serialize(body));
        }
        // Which check failed, in its own words; a check that failed on an exception (the database's) says so without the
        // exception's text, which is for the log, not for anonymous callers.
        var detail = string.Join(" ", report.Entries.Values.Where(e => e.Status == HealthStatus.Unhealthy)
            .Select(e => e.Exception is not null || e.Description is null ? "The database does not answer." : e.Description));
        return ApiProblems.Status(503, "Not ready", detail).ExecuteAsync(http);
    }
}
