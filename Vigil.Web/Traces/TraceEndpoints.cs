using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Core.Scores;
using Vigil.Core.Traces;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Traces;

public static class TraceEndpoints
{
    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder app)
    {
        var traces = app.MapGroup("/v1/traces").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Traces");
        traces.MapGet("/", ListAsync).WithName("ListTraces").WithSummary("List traces with filters and paging");
        traces.MapGet("/export", ExportAsync).WithName("ExportTraces")
            .WithSummary("Stream the traces matching the list's filters: format=jsonl (native ingest batches, one per line) or csv (one row per trace)");
        traces.MapGet("/{traceId}", GetAsync).WithName("GetTrace").WithSummary("One trace with all its spans");
        traces.MapPatch("/{traceId}", PatchAsync).WithName("PatchTrace").WithSummary("Set a trace's status and/or merge its metadata");
        traces.MapPost("/{traceId}/events/{spanId}", AddEventAsync).WithName("AddSpanEvent").WithSummary("Append an event to a span").DisableAntiforgery();

        app.MapGet("/v1/spans", ListSpansAsync).RequireAuthorization(AuthExtensions.ProjectKeyPolicy)
            .WithTags("Traces").WithName("ListSpans").WithSummary("List spans with filters and paging");
        return app;
    }

    private static async Task<Results<Ok<TraceListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, TraceQueryService service, CancellationToken ct,
        string? offset = null, string? limit = null, string? status = null, string? name = null, string? q = null,
        string? model = null, string? has_errors = null, string? start_date = null, string? end_date = null, string? sort = null,
        string? session_id = null, string? user_id = null, [FromQuery(Name = "score")] string[]? score = null)
    {
        var errors = new QueryErrors();
        var query = TraceFilters.Parse(errors, status, name, q, model, has_errors, start_date, end_date) with
        {
            Offset = errors.Int(offset, "offset", 0, 0, int.MaxValue),
            Limit = errors.Int(limit, "limit", 50, 1, 200),
            SessionId = session_id,
            UserId = user_id,
            Scores = ScoreFilters(score, errors),
        };
        if (!TraceSortParser.TryParse(sort, out var sortField, out var descending))
            errors.Add("sort", $"must be one of {TraceSortParser.Allowed}");
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);

        var page = await service.ListAsync(http.User.GetProjectId(), query with { Sort = sortField, Descending = descending }, ct);
        return TypedResults.Ok(new TraceListResponse(page.Items.Select(t => TraceDto.From(t)).ToList(), page.Total, page.Offset, page.Limit, page.TotalExact));
    }

    private static Results<PushStreamHttpResult, ValidationProblem> ExportAsync(HttpContext http, TraceExporter exporter,
        string? format = null, string? status = null, string? name = null, string? q = null, string? model = null, string? has_errors = null,
        string? start_date = null, string? end_date = null)
    {
        var errors = new QueryErrors();
        var query = TraceFilters.Parse(errors, status, name, q, model, has_errors, start_date, end_date);
        var kind = TraceExport.Format(errors, format);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        return TraceExport.Stream(exporter, http.User.GetProjectId(), query, kind!, http.RequestAborted);
    }

    /// <summary><c>score=helpfulness&gt;=0.5</c>, repeatable (all must hold); see <see cref="ScoreFilter"/>.</summary>
    private static List<ScoreFilter> ScoreFilters(string[]? values, QueryErrors errors)
    {
        var filters = new List<ScoreFilter>();
        foreach (var v in values ?? [])
        {
            if (ScoreFilter.TryParse(v, out var f)) filters.Add(f);
            else errors.Add("score", $"'{v}' is not a score condition: {ScoreFilter.Syntax}");
        }
        return filters;
    }

    private static async Task<Results<Ok<TraceDto>, ProblemHttpResult>> GetAsync(string traceId, HttpContext http, TraceQueryService service, CancellationToken ct)
    {
        var detail = await service.GetAsync(http.User.GetProjectId(), traceId, ct);
        return detail is null
            ? ApiProblems.NotFound($"Trace '{traceId}' was not found.")
            : TypedResults.Ok(TraceDto.From(detail.Trace, detail.Spans, detail.Scores));
    }

    private static async Task<Results<Ok<TraceDto>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string traceId, TracePatchRequest body, HttpContext http, TraceQueryService service, CancellationToken ct)
    {
        if (body.Status is not null && !SpanStatus.IsValid(body.Status))
            return ApiProblems.Invalid("status", $"must be one of {string.Join(", ", SpanStatus.All)}");
        if (body.Status is null && body.Metadata is null)
            return ApiProblems.Invalid("body", "send status and/or metadata");
        var trace = await service.PatchAsync(http.User.GetProjectId(), traceId, body.Status, body.Metadata, ct);
        return trace is null ? ApiProblems.NotFound($"Trace '{traceId}' was not found.") : TypedResults.Ok(TraceDto.From(trace));
    }

    private static async Task<Results<Created, ValidationProblem, ProblemHttpResult>> AddEventAsync(
        string traceId, string spanId, SpanEventRequest body, HttpContext http, TraceQueryService service, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Name)) return ApiProblems.Invalid("name", "is required");
        if (body.Name.Length > 512) return ApiProblems.Invalid("name", "is longer than 512 characters");
        var added = await service.AddEventAsync(http.User.GetProjectId(), traceId, spanId, body.Name, body.Attributes, ct);
        return added ? TypedResults.Created() : ApiProblems.NotFound($"Span '{spanId}' of trace '{traceId}' was not found.");
    }

    private static async Task<Results<Ok<SpanListResponse>, ValidationProblem>> ListSpansAsync(
        HttpContext http, TraceQueryService service, CancellationToken ct,
        string? offset = null, string? limit = null, string? kind = null, string? status = null, string? trace_id = null,
        string? name = null, string? model = null)
    {
        var errors = new QueryErrors();
        var query = new SpanQuery
        {
            Offset = errors.Int(offset, "offset", 0, 0, int.MaxValue),
            Limit = errors.Int(limit, "limit", 50, 1, 200),
            Kind = errors.OneOf(kind, "kind", SpanKind.All),
            Status = errors.OneOf(status, "status", SpanStatus.All),
            TraceId = trace_id,
            Name = name,
            Model = model,
        };
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var page = await service.ListSpansAsync(http.User.GetProjectId(), query, ct);
        return TypedResults.Ok(new SpanListResponse(page.Items.Select(SpanDto.From).ToList(), page.Total, page.Offset, page.Limit, page.TotalExact));
    }
}
