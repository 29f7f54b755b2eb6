using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Monitors;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Alerting;

/// <summary>
/// Threshold monitors. A project key manages its own project's (a <c>project_id</c> naming another answers 404 like a
/// missing one); an admin any project's.
/// </summary>
public static class MonitorEndpoints
{
    public static IEndpointRouteBuilder MapMonitorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/monitors").RequireAuthorization(AuthExtensions.ProjectKeyOrAdminPolicy).WithTags("Alerting").DisableAntiforgery();
        group.MapGet("/", ListAsync).WithName("ListMonitors").WithSummary("Monitors with their state and last value");
        group.MapPost("/", CreateAsync).WithName("CreateMonitor").WithSummary("Create a threshold monitor");
        group.MapGet("/{id:long}", GetAsync).WithName("GetMonitor").WithSummary("One monitor");
        group.MapPut("/{id:long}", UpdateAsync).WithName("UpdateMonitor").WithSummary("Replace a monitor's definition (its state and history stay)");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteMonitor").WithSummary("Delete a monitor with its history");
        group.MapPost("/{id:long}/silence", SilenceAsync).WithName("SilenceMonitor").WithSummary("Silence a monitor's notifications for some minutes (0 lifts it)");
        group.MapGet("/{id:long}/history", HistoryAsync).WithName("MonitorHistory").WithSummary("A monitor's state changes, newest first");
        return app;
    }

    /// <summary>The project a caller may touch: a key its own, an admin any (null).</summary>
    private static string? Scope(ClaimsPrincipal user) => user.IsAdmin() ? null : user.GetProjectId();

    private static int DefaultHysteresis(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<AlertingOptions>>().Value.Hysteresis;

    private static async Task<Results<Ok<MonitorListResponse>, ProblemHttpResult>> ListAsync(
        HttpContext http, MonitorService monitors, CancellationToken ct, string? project_id = null)
    {
        var scope = Scope(http.User);
        if (!string.IsNullOrEmpty(project_id) && scope is not null && project_id != scope) return ApiProblems.NotFound($"Project '{project_id}' was not found.");
        var list = await monitors.ListAsync(string.IsNullOrEmpty(project_id) ? scope : project_id, ct);
        var h = DefaultHysteresis(http);
        return TypedResults.Ok(new MonitorListResponse(list.Select(m => MonitorView.From(m, h)).ToList(), list.Count));
    }

    private static async Task<Results<Created<MonitorView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        MonitorRequest? body, HttpContext http, MonitorService monitors, CancellationToken ct)
    {
        var scope = Scope(http.User);
        var errors = body?.Validate() ?? new MonitorRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null).Validate();
        var projectId = string.IsNullOrWhiteSpace(body?.ProjectId) ? scope : body.ProjectId.Trim();
        if (projectId is null) errors["project_id"] = ["Required: the project the monitor watches."];
        else if (scope is not null && projectId != scope) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var outcome = await monitors.CreateAsync(projectId!, body!.ToInput(), ct);
        return outcome.Kind switch
        {
            AlertingOutcomeKind.Ok => TypedResults.Created($"/v1/monitors/{outcome.Value!.Id}", MonitorView.From(outcome.Value, DefaultHysteresis(http))),
            AlertingOutcomeKind.Invalid => ApiProblems.Invalid(outcome.Errors!),
            _ => ApiProblems.NotFound(outcome.Message!),
        };
    }

    private static async Task<Results<Ok<MonitorView>, ProblemHttpResult>> GetAsync(long id, HttpContext http, MonitorService monitors, CancellationToken ct) =>
        await monitors.GetAsync(Scope(http.User), id, ct) is { } m ? TypedResults.Ok(MonitorView.From(m, DefaultHysteresis(http))) : ApiProblems.NotFound($"Monitor {id} was not found.");

    private static async Task<Results<Ok<MonitorView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, MonitorRequest? body, HttpContext http, MonitorService monitors, CancellationToken ct)
    {
        var scope = Scope(http.User);
        if (await monitors.GetAsync(scope, id, ct) is null) return ApiProblems.NotFound($"Monitor {id} was not found.");
        var errors = body?.Validate() ?? new MonitorRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null).Validate();
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var outcome = await monitors.UpdateAsync(scope, id, body!.ToInput(), ct);
        return outcome.Kind switch
        {
            AlertingOutcomeKind.Ok => TypedResults.Ok(MonitorView.From(outcome.Value!, DefaultHysteresis(http))),
            AlertingOutcomeKind.Invalid => ApiProblems.Invalid(outcome.Errors!),
            _ => ApiProblems.NotFound(outcome.Message!),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, HttpContext http, MonitorService monitors, CancellationToken ct) =>
        await monitors.DeleteAsync(Scope(http.User), id, ct) ? TypedResults.NoContent() : ApiProblems.NotFound($"Monitor {id} was not found.");

    private static async Task<Results<Ok<MonitorView>, ValidationProblem, ProblemHttpResult>> SilenceAsync(
        long id, SilenceRequest? body, HttpContext http, MonitorService monitors, CancellationToken ct)
    {
        var scope = Scope(http.User);
        if (await monitors.GetAsync(scope, id, ct) is null) return ApiProblems.NotFound($"Monitor {id} was not found.");
        if (body?.Minutes is not (>= 0 and <= MonitorService.MaxSilenceMinutes) || body.Minutes is null)
            return ApiProblems.Invalid("minutes", $"Required, from 0 (lift the silence) to {MonitorService.MaxSilenceMinutes} (30 days).");
        var m = await monitors.SilenceAsync(scope, id, body.Minutes.Value, ct);
        return m is null ? ApiProblems.NotFound($"Monitor {id} was not found.") : TypedResults.Ok(MonitorView.From(m, DefaultHysteresis(http)));
    }

    private static async Task<Results<Ok<MonitorHistoryResponse>, ValidationProblem, ProblemHttpResult>> HistoryAsync(
        long id, HttpContext http, MonitorService monitors, CancellationToken ct, string? limit = null)
    {
        var errors = new QueryErrors();
        var take = errors.Int(limit, "limit", 100, 1, 1000);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        if (await monitors.GetAsync(Scope(http.User), id, ct) is not { } m) return ApiProblems.NotFound($"Monitor {id} was not found.");
        var changes = await monitors.HistoryAsync(m.ProjectId, id, take, ct);
        return TypedResults.Ok(new MonitorHistoryResponse(changes.Select(MonitorStateChangeDto.From).ToList(), changes.Count));
    }
}
