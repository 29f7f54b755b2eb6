using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Notifications;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Notifications;

public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/notifications").RequireAuthorization(AuthExtensions.ProjectKeyPolicy).WithTags("Notifications");
        group.MapGet("/", ListAsync).WithName("ListNotifications").WithSummary("Notifications, newest first");
        group.MapGet("/count", CountAsync).WithName("CountNotifications").WithSummary("Number of unread notifications");
        group.MapPatch("/{id:long}/read", ReadAsync).WithName("ReadNotification").WithSummary("Mark one notification read");
        group.MapPost("/read-all", ReadAllAsync).WithName("ReadAllNotifications").WithSummary("Mark every notification read").DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<NotificationListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, NotificationService service, CancellationToken ct, string? unread_only = null, string? limit = null)
    {
        var errors = new QueryErrors();
        var unreadOnly = errors.Bool(unread_only, "unread_only") ?? false;
        var take = errors.Int(limit, "limit", 50, 1, 200);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var projectId = http.User.GetProjectId();
        var list = await service.ListAsync(projectId, unreadOnly, take, ct);
        var unread = await service.UnreadCountAsync(projectId, ct);
        return TypedResults.Ok(new NotificationListResponse(list.Select(NotificationDto.From).ToList(), unread));
    }

    private static async Task<Ok<NotificationCountResponse>> CountAsync(HttpContext http, NotificationService service, CancellationToken ct) =>
        TypedResults.Ok(new NotificationCountResponse(await service.UnreadCountAsync(http.User.GetProjectId(), ct)));

    private static async Task<Results<Ok<NotificationDto>, ProblemHttpResult>> ReadAsync(long id, HttpContext http, NotificationService service, CancellationToken ct)
    {
        var n = await service.MarkReadAsync(http.User.GetProjectId(), id, ct);
        return n is null ? ApiProblems.NotFound($"Notification {id} was not found.") : TypedResults.Ok(NotificationDto.From(n));
    }

    private static async Task<Ok<ReadAllResponse>> ReadAllAsync(HttpContext http, NotificationService service, CancellationToken ct) =>
        TypedResults.Ok(new ReadAllResponse(await service.MarkAllReadAsync(http.User.GetProjectId(), ct)));
}
