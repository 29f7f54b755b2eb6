using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Serialization;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;
using Vigil.Web.Api;

namespace Vigil.Web.Health;

public static class HealthEndpoints
{
    /// <param name="Redis">With Redis configured: <c>connected</c> or <c>unavailable</c> (then the status is <c>degraded</c>).</param>
    public sealed record HealthResponse(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Redis = null);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok")))
            .WithTags("Health").WithName("Health").WithSummary("Liveness").AllowAnonymous();
        app.MapGet("/ready", ReadyAsync)
            .WithTags("Health").WithName("Ready").WithSummary("Readiness: the database answers (and whether Redis does)").AllowAnonymous();
        return app;
    }

    /// <summary>
    /// 503 when the database does not answer. Redis is only a bus: while it is away this instance still serves everything
    /// but live pushes between instances, so it stays in the load balancer and says <c>degraded</c>.
    /// </summary>
    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> ReadyAsync(IDbContextFactory<VigilDbContext> dbFactory, IServiceProvider services,
        ILogger<HealthResponse> logger, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // CanConnect alone succeeds for a SQLite file that is not a database; run a real query.
            await db.Projects.AsNoTracking().AnyAsync(ct);
            if (services.GetService<RedisBus>() is not { } bus) return TypedResults.Ok(new HealthResponse("ready"));
            return TypedResults.Ok(bus.IsConnected ? new HealthResponse("ready", "connected") : new HealthResponse("degraded", "unavailable"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Readiness check failed");
            return ApiProblems.Status(503, "Not ready", "The database does not answer.");
        }
    }
}
