using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Audit;
using Vigil.Core.Storage;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Audit;

/// <summary>An audit log entry as the API answers it.</summary>
public sealed record AuditEntryDto(long Id, DateTime At, string ActorId, string Actor, string Action, string? Target, string? ProjectId, string? Detail, string? Address)
{
    public static AuditEntryDto From(AuditEntry e) =>
        new(e.Id, UnixMicros.ToDateTime(e.AtUs), e.ActorId, e.ActorName, e.Action, e.Target, e.ProjectId, e.Detail, e.Address);
}

public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Entries, int Total, int Offset, int Limit);

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit", ListAsync).RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Audit").WithName("ListAudit")
            .WithSummary("Admin actions, newest first: who, what, when, from which address (offset, limit 1-500, action, project_id)");
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync(
        string? offset, string? limit, string? action, string? project_id, AuditLog log, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var o = errors.Int(offset, "offset", 0, 0, int.MaxValue);
        var l = errors.Int(limit, "limit", 50, 1, 500);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var page = await log.ListAsync(o, l, string.IsNullOrEmpty(action) ? null : action, string.IsNullOrEmpty(project_id) ? null : project_id, ct);
        return TypedResults.Ok(new AuditPage(page.Items.Select(AuditEntryDto.From).ToList(), page.Total, page.Offset, page.Limit));
    }
}
