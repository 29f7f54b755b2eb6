using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Accounts;
using Vigil.Core.Traces;
using Vigil.Web.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Traces;

/// <summary>
/// The trace list's Export button: the same export as <c>GET /v1/traces/export</c>, for a signed-in user (the dashboard
/// cookie) and a project they may see (<c>?project=</c>), so a browser can download it.
/// </summary>
public static class DashboardExportEndpoints
{
    public const string Path = "/export/traces";

    public static IEndpointRouteBuilder MapDashboardExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        HttpContext http, TraceExporter exporter, MembershipService membership, CancellationToken ct,
        string? project = null, string? format = null, string? status = null, string? name = null, string? q = null, string? model = null,
        string? has_errors = null, string? start_date = null, string? end_date = null)
    {
        var errors = new QueryErrors();
        if (string.IsNullOrEmpty(project)) errors.Add("project", "is required");
        var query = TraceFilters.Parse(errors, status, name, q, model, has_errors, start_date, end_date);
        var kind = TraceExport.Format(errors, format);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var visible = await membership.ProjectsForAsync(userId, http.User.IsAdmin(), ct);
        if (!visible.Any(p => p.Id == project)) return ApiProblems.NotFound($"Project '{project}' was not found.");
        return TraceExport.Stream(exporter, project!, query, kind!, http.RequestAborted);
    }
}
