using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Accounts;
using Vigil.Core.Storage;

namespace Vigil.Web.Accounts;

/// <summary>A user as the Settings page lists it.</summary>
public sealed record UserSummary(string Id, string Email, bool IsAdmin, bool LockedOut);

/// <summary>
/// Creates and lists users. Each call runs in its own DI scope, so the dashboard's long-lived circuits never hold a stale
/// Identity DbContext.
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, TimeProvider time, ILogger<UserAdmin> logger)
{
    public async Task<bool> AnyUserAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().Users.AnyAsync(ct);
    }

    /// <summary>Creates a user with the role; errors (weak password, duplicate e-mail) come back in the result.</summary>
    public async Task<(IdentityResult Result, AppUser? User)> CreateAsync(string email, string password, string role, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, CreatedAtUs = UnixMicros.Now(time) };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) return (result, null);
        result = await users.AddToRoleAsync(user, role);
        if (!result.Succeeded) return (result, null);
        // The e-mail is the only identifying detail logged; never the password.
        logger.LogInformation("Created user {UserId} ({Role})", user.Id, role);
        return (result, user);
    }

    public async Task<List<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VigilDbContext>();
        var adminIds = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == VigilRoles.Admin select ur.UserId).ToListAsync(ct);
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        return users.Select(u => new UserSummary(u.Id, u.Email ?? u.UserName ?? u.Id, adminIds.Contains(u.Id), u.LockoutEnd > now)).ToList();
    }
}
