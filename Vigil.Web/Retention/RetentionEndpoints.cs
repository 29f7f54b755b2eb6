using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Audit;
using Vigil.Core.Retention;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;

namespace Vigil.Web.Retention;

public static class RetentionEndpoints
{
    public static IEndpointRouteBuilder MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        // Like the rest of a project's settings: its own key, or an admin.
        var group = app.MapGroup("/v1/projects/{projectId}/retention").RequireAuthorization(AuthExtensions.ProjectKeyOrAdminPolicy).WithTags("Retention");
        group.MapGet("/", GetAsync).WithName("GetRetention").WithSummary("A project's retention: days and/or max_spans");
        group.MapPut("/", PutAsync).WithName("SetRetention").WithSummary("Set a project's retention ({\"days\": 30, \"max_spans\": null})").DisableAntiforgery();
        group.MapPost("/run", RunAsync).WithName("RunRetention").WithSummary("Apply the project's retention now; answers what was deleted").DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<RetentionDto>, ProblemHttpResult>> GetAsync(string projectId, HttpContext http, RetentionService retention, CancellationToken ct)
    {
        var settings = http.User.MayManage(projectId) ? await retention.GetAsync(projectId, ct) : null;
        return settings is null ? NotFound(projectId) : TypedResults.Ok(RetentionDto.From(settings));
    }

    private static async Task<Results<Ok<RetentionDto>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string projectId, RetentionRequest? body, HttpContext http, RetentionService retention, AuditLog audit, CancellationToken ct)
    {
        if (!http.User.MayManage(projectId)) return NotFound(projectId);
        if (body is null) return ApiProblems.Invalid("body", "send {\"days\": n | null, \"max_spans\": n | null}");
        if (body.Days is < 0 or > 36_500) return ApiProblems.Invalid("days", "must be 0 (keep forever) to 36500, or null for the server default");
        if (body.MaxSpans is < 1) return ApiProblems.Invalid("max_spans", "must be at least 1, or null for no limit");
        var settings = await retention.SetAsync(projectId, body.Days, body.MaxSpans, ct);
        if (settings is null) return NotFound(projectId);
        // The change is made: a client that has gone away by now does not cancel its audit entry.
        await audit.RecordAsync(Actors.From(http), AuditActions.RetentionSet, projectId, projectId, RetentionAudit.Detail(body.Days, body.MaxSpans), CancellationToken.None);
        return TypedResults.Ok(RetentionDto.From(settings));
    }

    private static async Task<Results<Ok<RetentionRunResponse>, ProblemHttpResult>> RunAsync(
        string projectId, HttpContext http, RetentionService retention, AuditLog audit, CancellationToken ct)
    {
        var result = http.User.MayManage(projectId) ? await retention.RunAsync(projectId, ct) : null;
        if (result is null) return NotFound(projectId);
        await audit.RecordAsync(Actors.From(http), AuditActions.RetentionRun, projectId, projectId, RetentionAudit.RunDetail(result.DeletedTraces, result.DeletedSpans), CancellationToken.None);
        return TypedResults.Ok(new RetentionRunResponse(result.DeletedTraces, result.DeletedSpans));
    }

    private static ProblemHttpResult NotFound(string projectId) => ApiProblems.NotFound($"Project '{projectId}' was not found.");
}
