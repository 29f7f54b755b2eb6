using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Drift;
using Vigil.Core.Storage;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Drift;

public static class DriftEndpoints
{
    public static IEndpointRouteBuilder MapDriftEndpoints(this IEndpointRouteBuilder app)
    {
        var drift = app.MapGroup("/v1/drift").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Drift");
        drift.MapGet("/alerts", ListAsync).WithName("ListDriftAlerts").WithSummary("Drift alerts, newest first; open ones only unless include_resolved=true");
        drift.MapGet("/summary", SummaryAsync).WithName("DriftSummary").WithSummary("Alert counts and the most recent alerts");
        drift.MapPatch("/alerts/{id:long}/resolve", ResolveAsync).WithName("ResolveDriftAlert").WithSummary("Mark an alert resolved");
        drift.MapPost("/run", RunAsync).WithName("RunDrift").WithSummary("Run drift detection now for the caller's project").DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<DriftAlertListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, DriftAlertService alerts, CancellationToken ct, string? include_resolved = null)
    {
        var errors = new QueryErrors();
        var includeResolved = errors.Bool(include_resolved, "include_resolved") ?? false;
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var list = await alerts.ListAsync(http.User.GetProjectId(), includeResolved, ct: ct);
        return TypedResults.Ok(new DriftAlertListResponse(list.Select(DriftAlertView.From).ToList(), list.Count));
    }

    private static async Task<Ok<DriftSummaryDto>> SummaryAsync(HttpContext http, DriftAlertService alerts, CancellationToken ct)
    {
        var s = await alerts.SummaryAsync(http.User.GetProjectId(), ct);
        return TypedResults.Ok(new DriftSummaryDto(s.TotalAlerts, s.Unresolved, s.BySeverity, s.RecentAlerts.Select(DriftAlertView.From).ToList()));
    }

    private static async Task<Results<Ok<DriftAlertView>, ProblemHttpResult>> ResolveAsync(long id, HttpContext http, DriftAlertService alerts, CancellationToken ct)
    {
        var alert = await alerts.ResolveAsync(http.User.GetProjectId(), id, ct);
        return alert is null ? ApiProblems.NotFound($"Drift alert {id} was not found.") : TypedResults.Ok(DriftAlertView.From(alert));
    }

    private static async Task<Results<Ok<DriftRunResponse>, ProblemHttpResult>> RunAsync(HttpContext http, DriftDetector detector, CancellationToken ct)
    {
        var projectId = http.User.GetProjectId();
        var run = await detector.RunAsync(projectId, ct);
        if (run is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        return TypedResults.Ok(new DriftRunResponse(
            run.OpenAlerts.Select(DriftAlertView.From).ToList(),
            run.Resolved.Select(DriftAlertView.From).ToList(),
            run.MeasurementCount,
            UnixMicros.ToDateTime(run.BaselineStartUs),
            UnixMicros.ToDateTime(run.CurrentStartUs),
            UnixMicros.ToDateTime(run.CurrentEndUs)));
    }
}
