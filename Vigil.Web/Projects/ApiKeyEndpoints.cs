using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Projects;
using Vigil.Core.Audit;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;

namespace Vigil.Web.Projects;

/// <summary>Named API keys of a project: create, revoke, rotate. Admins only (a signed-in admin or the admin API key).</summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/projects/{projectId}/keys").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Projects").DisableAntiforgery();
        keys.MapPost("/", CreateAsync).WithName("CreateProjectKey").WithSummary("Create a named API key, answered once");
        keys.MapPost("/{keyId:long}/revoke", RevokeAsync).WithName("RevokeProjectKey").WithSummary("Revoke one key (idempotent)");
        keys.MapPost("/{keyId:long}/rotate", RotateAsync).WithName("RotateOneProjectKey")
            .WithSummary("Revoke one key and issue a replacement with the same name, answered once");
        return app;
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string projectId, CreateKeyRequest? body, HttpContext http, ProjectService service, AuditLog audit, CancellationToken ct)
    {
        if (await service.GetAsync(projectId, ct) is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var name = body?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) return ApiProblems.Invalid("name", "Required, at most 100 characters.");
        var (key, secret) = await service.CreateKeyAsync(projectId, name, ct);
        await audit.RecordAsync(Actors.From(http), AuditActions.KeyCreate, key.Prefix + "…", projectId, $"name '{key.Name}'", ct);
        return TypedResults.Created($"/v1/projects/{projectId}", new CreatedKeyResponse(key.Id, projectId, key.Name, secret, key.Prefix));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string projectId, long keyId, HttpContext http, ProjectService service, AuditLog audit, CancellationToken ct)
    {
        if ((await service.ListKeysAsync(projectId, ct)).FirstOrDefault(k => k.Id == keyId) is not { } key)
            return ApiProblems.NotFound($"Key {keyId} of project '{projectId}' was not found.");
        if (await service.RevokeKeyAsync(projectId, keyId, ct))
            await audit.RecordAsync(Actors.From(http), AuditActions.KeyRevoke, key.Prefix + "…", projectId, $"name '{key.Name}'", ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CreatedKeyResponse>, ProblemHttpResult>> RotateAsync(
        string projectId, long keyId, HttpContext http, ProjectService service, AuditLog audit, CancellationToken ct)
    {
        if (await service.RotateKeyAsync(projectId, keyId, ct) is not { } rotated)
            return ApiProblems.NotFound($"Key {keyId} of project '{projectId}' was not found.");
        await audit.RecordAsync(Actors.From(http), AuditActions.KeyRotate, rotated.Key.Prefix + "…", projectId, $"name '{rotated.Key.Name}', replaces key {keyId}", ct);
        return TypedResults.Ok(new CreatedKeyResponse(rotated.Key.Id, projectId, rotated.Key.Name, rotated.Secret, rotated.Key.Prefix));
    }
}
