using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Projects;
using Vigil.Core.Audit;
using Vigil.Core.Retention;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;

namespace Vigil.Web.Projects;

public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        // A project key sees and rotates its own project; an admin (cookie or admin key) sees and manages all of them.
        var projects = app.MapGroup("/v1/projects").RequireAuthorization(AuthExtensions.ProjectKeyOrAdminPolicy).WithTags("Projects");
        projects.MapGet("/", ListAsync).WithName("ListProjects").WithSummary("The projects the caller may see (an admin: all; a project key: its own)");
        projects.MapPost("/", CreateAsync).WithName("CreateProject").WithSummary("Create a project with a first key, answered once (admin)")
            .RequireAuthorization(AuthExtensions.AdminPolicy).DisableAntiforgery();
        projects.MapGet("/{projectId}", GetAsync).WithName("GetProject").WithSummary("A project and its keys (prefixes only)");
        projects.MapDelete("/{projectId}", DeleteAsync).WithName("DeleteProject")
            .WithSummary("Delete a project and all its data (admin): its keys stop at once; answers 202 while the data is deleted")
            .RequireAuthorization(AuthExtensions.AdminPolicy);
        projects.MapPost("/{projectId}/rotate-key", RotateAsync).WithName("RotateProjectKey")
            .WithSummary("Revoke the project's keys and issue a new one, answered once").DisableAntiforgery();
        app.MapApiKeyEndpoints();
        return app;
    }

    private static async Task<Ok<List<ProjectDto>>> ListAsync(HttpContext http, ProjectService service, CancellationToken ct)
    {
        if (http.User.IsAdmin()) return TypedResults.Ok((await service.ListAsync(ct)).Select(p => ProjectDto.From(p)).ToList());
        var project = await service.GetAsync(http.User.GetProjectId(), ct);
        return TypedResults.Ok(project is null ? [] : new List<ProjectDto> { ProjectDto.From(project) });
    }

    /// <summary>
    /// <c>{id, name?, description?}</c>, or the original Vigil server's <c>{name, description?}</c>: the id is then derived
    /// from the name (<c>"Support bot"</c> → <c>support-bot</c>, <c>support-bot-2</c> when taken).
    /// </summary>
    private static async Task<Results<Created<CreatedProjectResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateProjectRequest? body, HttpContext http, ProjectService service, AuditLog audit, CancellationToken ct)
    {
        var id = body?.Id;
        var name = body?.Name?.Trim();
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(name))
            return ApiProblems.Invalid("name", $"Required: a name (the id is derived from it), or an id ({ProjectSlug.Rule}).");
        if (!string.IsNullOrEmpty(id) && !ProjectSlug.IsValid(id)) return ApiProblems.Invalid("id", $"Must be {ProjectSlug.Rule}.");
        name = string.IsNullOrEmpty(name) ? id! : name;
        if (name.Length > 200) return ApiProblems.Invalid("name", "At most 200 characters.");
        if (body?.Description is { Length: > 2000 }) return ApiProblems.Invalid("description", "At most 2000 characters.");
        try
        {
            var (project, secret) = string.IsNullOrEmpty(id)
                ? await service.CreateFromNameAsync(name, body?.Description, ct)
                : await service.CreateAsync(id, name, body?.Description, ct);
            await audit.RecordAsync(Actors.From(http), AuditActions.ProjectCreate, project.Id, project.Id, $"name '{project.Name}'", ct);
            return TypedResults.Created($"/v1/projects/{project.Id}", CreatedProjectResponse.From(project, secret));
        }
        catch (ProjectExistsException ex)
        {
            return ApiProblems.Status(409, "Conflict", ex.Message);
        }
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> GetAsync(string projectId, HttpContext http, ProjectService service,
        ProjectDeletionService deletions, CancellationToken ct)
    {
        // Another project's id answers exactly like a missing one.
        if (!http.User.MayManage(projectId)) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var project = await service.GetAsync(projectId, ct);
        if (project is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var deletion = project.DeletingSinceUs is null ? null : await deletions.StatusAsync(projectId, ct);
        return TypedResults.Ok(ProjectDto.From(project, await service.ListKeysAsync(projectId, ct), deletion));
    }

    private static async Task<Results<Accepted<ProjectDeletionDto>, ProblemHttpResult>> DeleteAsync(
        string projectId, HttpContext http, ProjectDeletionService deletions, AuditLog audit, CancellationToken ct)
    {
        var deletion = await deletions.RequestAsync(projectId, ct);
        if (deletion is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        // Once, by the request that started it; the change is made, so a client gone by now does not undo the entry.
        if (deletion.Started)
            await audit.RecordAsync(Actors.From(http), AuditActions.ProjectDelete, projectId, projectId, $"{deletion.TracesTotal:N0} traces to delete", CancellationToken.None);
        return TypedResults.Accepted($"/v1/projects/{projectId}", ProjectDeletionDto.From(deletion));
    }

    private static async Task<Results<Ok<RotatedKeyResponse>, ProblemHttpResult>> RotateAsync(
        string projectId, HttpContext http, ProjectService service, AuditLog audit, CancellationToken ct)
    {
        if (!http.User.MayManage(projectId) || await service.GetAsync(projectId, ct) is null)
            return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        var secret = await service.RotateKeyAsync(projectId, ct);
        await audit.RecordAsync(Actors.From(http), AuditActions.KeysRotateAll, ApiKeySecret.Prefix(secret) + "…", projectId, "every key of the project revoked", ct);
        return TypedResults.Ok(new RotatedKeyResponse(projectId, secret, ApiKeySecret.Prefix(secret)));
    }
}
