using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Accounts;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Web.Accounts;

public static class AccountsExtensions
{
    /// <summary>Paths whose callers are programs: a challenge answers 401/403 instead of redirecting to the sign-in page.</summary>
    private static bool IsApi(HttpRequest r) =>
        r.Path.StartsWithSegments("/v1") || r.Path.StartsWithSegments("/hubs");

    /// <summary>
    /// ASP.NET Core Identity over Vigil's own database, the dashboard cookie, the first-run admin and the admin API key.
    /// Call after AddVigilCore and AddVigilAuth.
    /// </summary>
    public static IServiceCollection AddVigilAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<AppUser>(o =>
            {
                // Length over composition rules (NIST 800-63B): ten characters, nothing else required.
                o.Password.RequiredLength = InitOptions.MinPasswordLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<VigilDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        new Microsoft.AspNetCore.Authentication.AuthenticationBuilder(services).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "vigil.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the request came over HTTPS
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = AccountEndpoints.LoginPath;
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = AccountEndpoints.LoginPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnRedirectToLogin = c =>
            {
                if (IsApi(c.Request)) c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else c.Response.Redirect(c.RedirectUri);
                return Task.CompletedTask;
            };
            // Every request checks the cookie's security stamp, so an ended session ends on its next request.
            o.Events.OnValidatePrincipal = SessionValidation.ValidatePrincipalAsync;
            // A signed-in user who may not do something gets a plain 403, never a sign-in loop.
            o.Events.OnRedirectToAccessDenied = c =>
            {
                c.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddSingleton<AdminApiKey>();
        services.AddSingleton<SetupToken>();
        services.AddSingleton<UserAdmin>();
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<PasswordLinks>();
        // Dashboard circuits drop their user when the account's sessions end (TryAdd: a test host may bring its own).
        services.TryAddScoped<AuthenticationStateProvider, SessionAuthenticationStateProvider>();
        services.AddHostedService<AccountInitializer>();
        services.AddCascadingAuthenticationState();
        return services;
    }
}
