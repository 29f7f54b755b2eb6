using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Vigil.Core.Accounts;

namespace Vigil.Web.Auth;

public static class AuthExtensions
{
    /// <summary>Callers holding a project API key; the key's project scopes every read and write.</summary>
    public const string ProjectKeyPolicy = "ProjectKey";

    /// <summary>A signed-in admin (dashboard cookie) or the organisation-level admin API key.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>A project key (its own project only) or an admin; endpoints check the project themselves.</summary>
    public const string ProjectKeyOrAdminPolicy = "ProjectKeyOrAdmin";

    /// <summary>The live hub: a project key or any signed-in dashboard user (groups decided on connect).</summary>
    public const string LivePolicy = "Live";

    /// <summary>Forwards to the API key scheme when a key is sent, else to the dashboard cookie.</summary>
    public const string KeyOrCookieScheme = "KeyOrCookie";

    public static IServiceCollection AddVigilAuth(this IServiceCollection services)
    {
        // The dashboard cookie is the default (it is what Blazor's circuit sees); API endpoints name their schemes.
        services.AddAuthentication(o => o.DefaultScheme = IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(KeyOrCookieScheme, "API key or dashboard cookie", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.ReadKey(http.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);
        services.AddAuthorizationBuilder()
            // Pages: a signed-in dashboard user; an API key never opens the dashboard.
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser().Build())
            .AddPolicy(ProjectKeyPolicy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(VigilClaims.ProjectId))
            .AddPolicy(AdminPolicy, p => p
                .AddAuthenticationSchemes(KeyOrCookieScheme)
                .RequireAuthenticatedUser()
                .RequireRole(VigilRoles.Admin))
            .AddPolicy(ProjectKeyOrAdminPolicy, p => p
                .AddAuthenticationSchemes(KeyOrCookieScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasClaim(x => x.Type == VigilClaims.ProjectId) || c.User.IsInRole(VigilRoles.Admin)))
            .AddPolicy(LivePolicy, p => p
                .AddAuthenticationSchemes(KeyOrCookieScheme)
                .RequireAuthenticatedUser());
        return services;
    }
}
