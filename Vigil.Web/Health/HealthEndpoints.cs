using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Web.Api;

namespace Vigil.Web.Health;

public static class HealthEndpoints
{
    public sealed record HealthResponse(string Status);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok")))
            .WithTags("Health").WithName("Health").WithSummary("Liveness").AllowAnonymous();
        app.MapGet("/ready", ReadyAsync)
            .WithTags("Health").WithName("Ready").WithSummary("Readiness: the database answers").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> ReadyAsync(IDbContextFactory<VigilDbContext> dbFactory, ILogger<HealthResponse> logger, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // CanConnect alone succeeds for a SQLite file that is not a database; run a real query.
            await db.Projects.AsNoTracking().AnyAsync(ct);
            return TypedResults.Ok(new HealthResponse("ready"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Readiness check failed");
            return ApiProblems.Status(503, "Not ready", "The database does not answer.");
        }
    }
}
