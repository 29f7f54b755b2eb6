using System.Security.Claims;

namespace Vigil.Web.Auth;

public static class VigilClaims
{
    public const string ProjectId = "vigil:project";
    public const string KeyPrefix = "vigil:key_prefix";

    /// <summary>The project the caller's API key belongs to. Endpoints behind <see cref="AuthExtensions.ProjectKeyPolicy"/> always have one.</summary>
    public static string GetProjectId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ProjectId) ?? throw new InvalidOperationException("The caller has no project claim.");
}
