using System.Security.Claims;
using Vigil.Core.Accounts;

namespace Vigil.Web.Auth;

public static class VigilClaims
{
    public const string ProjectId = "vigil:project";
    public const string KeyPrefix = "vigil:key_prefix";

    /// <summary>The project the caller's API key belongs to. Endpoints behind <see cref="AuthExtensions.ProjectKeyPolicy"/> always have one.</summary>
    public static string GetProjectId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ProjectId) ?? throw new InvalidOperationException("The caller has no project claim.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(VigilRoles.Admin);

    /// <summary>
    /// For endpoints behind <see cref="AuthExtensions.ProjectKeyOrAdminPolicy"/>: an admin may touch any project, a key only its own.
    /// </summary>
    public static bool MayManage(this ClaimsPrincipal user, string projectId) =>
        user.IsAdmin() || user.FindFirstValue(ProjectId) == projectId;
}
