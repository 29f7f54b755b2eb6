using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Replay;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Replay;

public static class ReplayEndpoints
{
    public static IEndpointRouteBuilder MapReplayEndpoints(this IEndpointRouteBuilder app)
    {
        var replay = app.MapGroup("/v1/traces/{traceId}/replay").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Replay");
        replay.MapPost("/", EstimateAsync).WithName("EstimateReplay").WithSummary("Estimate a replay of the trace with mutations; answers a run awaiting confirmation").DisableAntiforgery();
        replay.MapPost("/{runId}/confirm", ConfirmAsync).WithName("ConfirmReplay").WithSummary("Start an estimated replay").DisableAntiforgery();
        replay.MapPost("/{runId}/cancel", CancelAsync).WithName("CancelReplay").WithSummary("Cancel a replay (a running one stops after its current span)").DisableAntiforgery();
        replay.MapGet("/{runId}", GetAsync).WithName("GetReplay").WithSummary("A replay run's status and progress");
        replay.MapGet("/{runId}/diff", DiffAsync).WithName("GetReplayDiff").WithSummary("Per-span diffs of a replay run");

        app.MapGet("/v1/replays", ListAsync).RequireAuthorization(AuthExtensions.ProjectKeyPolicy)
            .WithTags("Replay").WithName("ListReplays").WithSummary("The project's replay runs, newest first");

        // A project key (its own project) or an admin: provider keys are set from the dashboard's settings page too.
        app.MapGroup("/v1/projects/{projectId}/providers").RequireAuthorization(AuthExtensions.ProjectKeyOrAdminPolicy).WithTags("Projects")
            .MapProviderSettings();
        return app;
    }

    private static async Task<Results<Created<ReplayEstimateResponse>, ValidationProblem, ProblemHttpResult>> EstimateAsync(
        string traceId, ReplayRequest? body, HttpContext http, ReplayService service, CancellationToken ct)
    {
        var outcome = await service.EstimateAsync(http.User.GetProjectId(), traceId, body?.Mutations, ct, body?.OnlySpans);
        return outcome.Kind switch
        {
            ReplayOutcomeKind.Ok => TypedResults.Created($"/v1/traces/{Uri.EscapeDataString(traceId)}/replay/{outcome.Value!.Run.Id}", ReplayEstimateResponse.From(outcome.Value)),
            ReplayOutcomeKind.Invalid => ApiProblems.Invalid(outcome.Errors!, "mutations: " + string.Join("; ", outcome.Errors!.Select(e => $"{e.Key} {e.Value[0]}"))),
            _ => Problem(outcome),
        };
    }

    private static async Task<Results<Ok<ReplayRunDto>, ProblemHttpResult>> ConfirmAsync(string traceId, string runId, HttpContext http, ReplayService service, CancellationToken ct) =>
        ToResult(await service.ConfirmAsync(http.User.GetProjectId(), traceId, runId, ct));

    private static async Task<Results<Ok<ReplayRunDto>, ProblemHttpResult>> CancelAsync(string traceId, string runId, HttpContext http, ReplayService service, CancellationToken ct) =>
        ToResult(await service.CancelAsync(http.User.GetProjectId(), traceId, runId, ct));

    private static async Task<Results<Ok<ReplayRunDto>, ProblemHttpResult>> GetAsync(string traceId, string runId, HttpContext http, ReplayService service, CancellationToken ct)
    {
        var run = await service.GetAsync(http.User.GetProjectId(), traceId, runId, ct);
        return run is null ? NotFound(traceId, runId) : TypedResults.Ok(ReplayRunDto.From(run));
    }

    private static async Task<Results<Ok<ReplayDiffResponse>, ProblemHttpResult>> DiffAsync(string traceId, string runId, HttpContext http, ReplayService service, CancellationToken ct)
    {
        var run = await service.GetAsync(http.User.GetProjectId(), traceId, runId, ct);
        return run is null
            ? NotFound(traceId, runId)
            : TypedResults.Ok(new ReplayDiffResponse(run.Id, run.OriginalTraceId, run.ResultTraceId, run.Status, new RawJson(run.Diffs ?? "[]")));
    }

    private static async Task<Results<Ok<ReplayListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, ReplayService service, CancellationToken ct, string? offset = null, string? limit = null, string? trace_id = null)
    {
        var errors = new QueryErrors();
        var o = errors.Int(offset, "offset", 0, 0, int.MaxValue);
        var l = errors.Int(limit, "limit", 50, 1, 200);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var page = await service.ListAsync(http.User.GetProjectId(), o, l, trace_id, ct);
        return TypedResults.Ok(new ReplayListResponse(page.Items.Select(ReplayRunDto.From).ToList(), page.Total, page.Offset, page.Limit));
    }

    private static Results<Ok<ReplayRunDto>, ProblemHttpResult> ToResult(ReplayOutcome<ReplayRun> outcome) =>
        outcome.Kind == ReplayOutcomeKind.Ok ? TypedResults.Ok(ReplayRunDto.From(outcome.Value!)) : Problem(outcome);

    private static ProblemHttpResult Problem<T>(ReplayOutcome<T> outcome) => outcome.Kind switch
    {
        ReplayOutcomeKind.NotFound => ApiProblems.NotFound(outcome.Message!),
        ReplayOutcomeKind.Conflict => ApiProblems.Status(409, "Conflict", outcome.Message!),
        ReplayOutcomeKind.Busy => ApiProblems.Status(503, "Busy", outcome.Message!),
        _ => ApiProblems.BadRequest(outcome.Message ?? "Bad request"),
    };

    private static ProblemHttpResult NotFound(string traceId, string runId) => ApiProblems.NotFound($"Replay run '{runId}' of trace '{traceId}' was not found.");
}
