using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Accounts;
using Vigil.Core.Storage;

namespace Vigil.Web.Accounts;

/// <summary>
/// Every cookie-authenticated request checks the cookie's security stamp against the account's (one indexed lookup):
/// a deleted account, "sign out everywhere", a changed or reset password end every session on the next request, not at
/// Identity's default re-validation half an hour later.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var userId = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var stamp = context.Principal?.FindFirst(stampClaim)?.Value;
        if (userId is null || stamp is null || await CurrentStampAsync(services, userId, context.HttpContext.RequestAborted) != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>The account's security stamp, or null when the account is gone.</summary>
    public static async Task<string?> CurrentStampAsync(IServiceProvider services, string userId, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(ct);
    }
}
