using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Scores;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Scores;

public static class ScoreEndpoints
{
    public static IEndpointRouteBuilder MapScoreEndpoints(this IEndpointRouteBuilder app)
    {
        var scores = app.MapGroup("/v1/scores").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Scores");
        scores.MapPost("/", AddAsync).WithName("AddScore")
            .WithSummary("Record a score of a trace or span: a number, true/false or a category (the trace may arrive later)").DisableAntiforgery();
        scores.MapGet("/", ListAsync).WithName("ListScores").WithSummary("Scores, newest first, with filters and paging");
        scores.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteScore").WithSummary("Delete a score");
        return app;
    }

    private static async Task<Results<Created<ScoreDto>, ValidationProblem>> AddAsync(ScoreRequest body, HttpContext http, ScoreService service, CancellationToken ct)
    {
        var input = body.ToInput(out var valueProblem);
        if (valueProblem is not null) return ApiProblems.Invalid("value", valueProblem);
        var (score, errors) = await service.AddAsync(http.User.GetProjectId(), input, ScoreSource.Api, ct);
        if (score is null) return ApiProblems.Invalid(errors);
        return TypedResults.Created($"/v1/scores?trace_id={Uri.EscapeDataString(score.TraceId)}", ScoreDto.From(score));
    }

    private static async Task<Results<Ok<ScoreListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, ScoreService service, CancellationToken ct,
        string? offset = null, string? limit = null, string? trace_id = null, string? span_id = null, string? name = null,
        string? source = null, string? start_date = null, string? end_date = null)
    {
        var errors = new QueryErrors();
        var query = new ScoreQuery
        {
            Offset = errors.Int(offset, "offset", 0, 0, int.MaxValue),
            Limit = errors.Int(limit, "limit", 50, 1, 200),
            TraceId = trace_id,
            SpanId = span_id,
            Name = name,
            Source = errors.OneOf(source, "source", ScoreSource.All),
            StartDate = errors.Date(start_date, "start_date"),
            EndDate = errors.Date(end_date, "end_date"),
        };
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var page = await service.ListAsync(http.User.GetProjectId(), query, ct);
        return TypedResults.Ok(new ScoreListResponse(page.Items.Select(ScoreDto.From).ToList(), page.Total, page.Offset, page.Limit));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, HttpContext http, ScoreService service, CancellationToken ct) =>
        await service.DeleteAsync(http.User.GetProjectId(), id, ct) ? TypedResults.NoContent() : ApiProblems.NotFound($"Score {id} was not found.");
}
