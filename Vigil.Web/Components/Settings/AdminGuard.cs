using Microsoft.AspNetCore.Components.Authorization;
using Vigil.Core.Accounts;

namespace Vigil.Web.Components.Settings;

/// <summary>
/// The settings panels render admin controls for admins only; every handler checks again here, on the server, before it
/// changes anything (a circuit's user is fixed for its lifetime, but the check is cheap and keeps each handler honest).
/// </summary>
public static class AdminGuard
{
    public static async Task<bool> IsAdminAsync(this AuthenticationStateProvider auth) =>
        (await auth.GetAuthenticationStateAsync()).User.IsInRole(VigilRoles.Admin);
}
