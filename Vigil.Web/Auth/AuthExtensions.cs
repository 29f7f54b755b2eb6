using Microsoft.AspNetCore.Authentication;

namespace Vigil.Web.Auth;

public static class AuthExtensions
{
    /// <summary>Callers holding a project API key; the key's project scopes every read and write.</summary>
    public const string ProjectKeyPolicy = "ProjectKey";

    public static IServiceCollection AddVigilAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ProjectKeyPolicy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(VigilClaims.ProjectId));
        return services;
    }
}
