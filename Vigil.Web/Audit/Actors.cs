using System.Security.Claims;
using Vigil.Core.Audit;
using Vigil.Web.Auth;
using Vigil.Web.Protection;

namespace Vigil.Web.Audit;

/// <summary>Who is calling, for the audit log: a signed-in account, the admin API key, or a project key.</summary>
public static class Actors
{
    public static AuditActor From(HttpContext http) => From(http.User, RateLimiting.ClientIp(http));

    public static AuditActor From(ClaimsPrincipal user, string? address)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var name = id == "admin-key" ? "admin API key"
            : user.FindFirstValue(VigilClaims.KeyPrefix) is { } prefix ? $"key {prefix}…"
            : user.Identity?.Name ?? id;
        return new AuditActor(id, name, address);
    }
}
