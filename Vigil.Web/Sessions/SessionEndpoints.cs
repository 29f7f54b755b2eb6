using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Sessions;
using Vigil.Web.Api;
using Vigil.Web.Auth;
using Vigil.Web.Traces;

namespace Vigil.Web.Sessions;

/// <summary>The monitored application's sessions (conversations) and end users. Not Vigil's own accounts.</summary>
public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/v1/sessions").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Sessions");
        sessions.MapGet("/", ListAsync).WithName("ListSessions").WithSummary("Sessions (conversations) with rollups, filters, sort and paging");
        sessions.MapGet("/{sessionId}", GetAsync).WithName("GetSession").WithSummary("One session with its traces, oldest first");

        var users = app.MapGroup("/v1/users").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Sessions");
        users.MapGet("/", ListUsersAsync).WithName("ListEndUsers").WithSummary("The application's end users with rollups (not Vigil accounts)");
        users.MapGet("/{userId}", GetUserAsync).WithName("GetEndUser").WithSummary("One end user with their most recent sessions");
        return app;
    }

    private static async Task<Results<Ok<SessionListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, SessionQueryService service, CancellationToken ct,
        string? offset = null, string? limit = null, string? user_id = null, string? q = null, string? has_errors = null,
        string? start_date = null, string? end_date = null, string? sort = null)
    {
        var errors = new QueryErrors();
        var query = new SessionQuery
        {
            Offset = errors.Int(offset, "offset", 0, 0, int.MaxValue),
            Limit = errors.Int(limit, "limit", 50, 1, 200),
            UserId = user_id,
            Q = q,
            HasErrors = errors.Bool(has_errors, "has_errors"),
            StartDate = errors.Date(start_date, "start_date"),
            EndDate = errors.Date(end_date, "end_date"),
        };
        if (!RollupSortParser.TryParse(sort, users: false, out var field, out var descending))
            errors.Add("sort", $"must be one of {RollupSortParser.AllowedSessions}");
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var page = await service.ListAsync(http.User.GetProjectId(), query with { Sort = field, Descending = descending }, ct);
        return TypedResults.Ok(new SessionListResponse(page.Items.Select(SessionDto.From).ToList(), page.Total, page.Offset, page.Limit));
    }

    private static async Task<Results<Ok<SessionDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string sessionId, HttpContext http, SessionQueryService service, CancellationToken ct, string? limit = null)
    {
        var errors = new QueryErrors();
        var max = errors.Int(limit, "limit", SessionQueryService.MaxTraces, 1, SessionQueryService.MaxTraces);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var detail = await service.GetAsync(http.User.GetProjectId(), sessionId, max, ct);
        if (detail is null) return ApiProblems.NotFound($"Session '{sessionId}' was not found.");
        return TypedResults.Ok(SessionDto.From(detail.Session, detail.UserIds, detail.Traces.Select(t => TraceDto.From(t)).ToList()));
    }

    private static async Task<Results<Ok<EndUserListResponse>, ValidationProblem>> ListUsersAsync(
        HttpContext http, EndUserQueryService service, CancellationToken ct,
        string? offset = null, string? limit = null, string? q = null, string? has_errors = null,
        string? start_date = null, string? end_date = null, string? sort = null)
    {
        var errors = new QueryErrors();
        var query = new EndUserQuery
        {
            Offset = errors.Int(offset, "offset", 0, 0, int.MaxValue),
            Limit = errors.Int(limit, "limit", 50, 1, 200),
            Q = q,
            HasErrors = errors.Bool(has_errors, "has_errors"),
            StartDate = errors.Date(start_date, "start_date"),
            EndDate = errors.Date(end_date, "end_date"),
        };
        if (!RollupSortParser.TryParse(sort, users: true, out var field, out var descending))
            errors.Add("sort", $"must be one of {RollupSortParser.AllowedUsers}");
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var page = await service.ListAsync(http.User.GetProjectId(), query with { Sort = field, Descending = descending }, ct);
        return TypedResults.Ok(new EndUserListResponse(page.Items.Select(u => EndUserDto.From(u)).ToList(), page.Total, page.Offset, page.Limit));
    }

    private static async Task<Results<Ok<EndUserDto>, ValidationProblem, ProblemHttpResult>> GetUserAsync(
        string userId, HttpContext http, EndUserQueryService service, CancellationToken ct, string? sessions = null)
    {
        var errors = new QueryErrors();
        var max = errors.Int(sessions, "sessions", 50, 1, 500);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var detail = await service.GetAsync(http.User.GetProjectId(), userId, max, ct);
        if (detail is null) return ApiProblems.NotFound($"User '{userId}' was not found.");
        return TypedResults.Ok(EndUserDto.From(detail.User, detail.Sessions.Select(SessionDto.From).ToList()));
    }
}
