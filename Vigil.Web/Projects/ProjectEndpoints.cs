using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Projects;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Projects;

public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/v1/projects").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Projects");
        projects.MapGet("/", ListAsync).WithName("ListProjects").WithSummary("The projects the caller may see (a project key sees its own)");
        projects.MapGet("/{projectId}", GetAsync).WithName("GetProject").WithSummary("A project and its keys (prefixes only)");
        projects.MapPost("/{projectId}/rotate-key", RotateAsync).WithName("RotateProjectKey")
            .WithSummary("Revoke the project's keys and issue a new one, answered once").DisableAntiforgery();
        return app;
    }

    private static async Task<Ok<List<ProjectDto>>> ListAsync(HttpContext http, ProjectService service, CancellationToken ct)
    {
        var project = await service.GetAsync(http.User.GetProjectId(), ct);
        return TypedResults.Ok(project is null ? [] : new List<ProjectDto> { ProjectDto.From(project) });
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> GetAsync(string projectId, HttpContext http, ProjectService service, CancellationToken ct)
    {
        // Another project's id answers exactly like a missing one.
        if (projectId != http.User.GetProjectId()) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var project = await service.GetAsync(projectId, ct);
        if (project is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        return TypedResults.Ok(ProjectDto.From(project, await service.ListKeysAsync(projectId, ct)));
    }

    private static async Task<Results<Ok<RotatedKeyResponse>, ProblemHttpResult>> RotateAsync(string projectId, HttpContext http, ProjectService service, CancellationToken ct)
    {
        if (projectId != http.User.GetProjectId()) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var secret = await service.RotateKeyAsync(projectId, ct);
        return TypedResults.Ok(new RotatedKeyResponse(projectId, secret, ApiKeySecret.Prefix(secret)));
    }
}
