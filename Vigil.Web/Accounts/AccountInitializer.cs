using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Vigil.Core.Accounts;
using Vigil.Core.Projects;

namespace Vigil.Web.Accounts;

/// <summary>
/// Start-up, after migrations (registered after Vigil.Core's storage initializer, and lifecycle hooks run in order): makes
/// sure the roles exist and the configured admin exists with the configured password (idempotent across restarts);
/// with no user at all and no configured admin, issues the one-time setup link.
/// </summary>
internal sealed class AccountInitializer(
    IServiceScopeFactory scopes,
    IOptions<InitOptions> init,
    UserAdmin userAdmin,
    SetupToken setup,
    ILogger<AccountInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in new[] { VigilRoles.Admin, VigilRoles.Member })
                if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)), "create role " + role);
        }

        var o = init.Value;
        if (!string.IsNullOrEmpty(o.AdminEmail) && !string.IsNullOrEmpty(o.AdminPassword))
            await EnsureAdminAsync(o.AdminEmail, o.AdminPassword, ct);
        else if (!await userAdmin.AnyUserAsync(ct))
            setup.Issue();
    }

    private async Task EnsureAdminAsync(string email, string password, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            var (result, _) = await userAdmin.CreateAsync(email, password, VigilRoles.Admin, ct);
            Check(result, "create the Vigil:Init:AdminEmail account");
            return;
        }
        // Configuration is the source of truth for this account: keep it an admin with the configured password.
        if (!await users.IsInRoleAsync(user, VigilRoles.Admin)) Check(await users.AddToRoleAsync(user, VigilRoles.Admin), "make the init admin an admin");
        if (!await users.CheckPasswordAsync(user, password))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Check(await users.ResetPasswordAsync(user, token, password), "set Vigil:Init:AdminPassword");
            logger.LogInformation("Reset the password of the configured admin {UserId} from configuration", user.Id);
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
