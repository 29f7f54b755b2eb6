using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Accounts;
using Vigil.Core.Storage;

namespace Vigil.Web.Accounts;

/// <summary>An account as the Settings page and <c>GET /v1/accounts</c> list it.</summary>
public sealed record UserSummary(string Id, string Email, bool IsAdmin, bool LockedOut, long CreatedAtUs, IReadOnlyList<string> ProjectIds);

/// <summary>What deleting an account did.</summary>
public enum DeleteAccountOutcome { Deleted, NotFound, LastAdmin }

/// <summary>
/// Creates, lists and deletes accounts, and changes their passwords. Each call runs in its own DI scope, so the dashboard's
/// long-lived circuits never hold a stale Identity DbContext. Whatever ends an account's sessions (delete, sign out
/// everywhere, a changed or reset password) changes its security stamp and tells <see cref="SessionRevocations"/>.
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, SessionRevocations revocations, TimeProvider time, ILogger<UserAdmin> logger)
{
    public async Task<bool> AnyUserAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().Users.AnyAsync(ct);
    }

    /// <summary>
    /// Creates an account with the role; without a password it cannot sign in until it sets one through a reset link.
    /// Errors (weak password, duplicate e-mail) come back in the result.
    /// </summary>
    public async Task<(IdentityResult Result, AppUser? User)> CreateAsync(string email, string? password, string role, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, CreatedAtUs = UnixMicros.Now(time) };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded) return (result, null);
        result = await users.AddToRoleAsync(user, role);
        if (!result.Succeeded) return (result, null);
        // The id is the only identifying detail logged; never the password.
        logger.LogInformation("Created user {UserId} ({Role})", user.Id, role);
        return (result, user);
    }

    public async Task<List<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VigilDbContext>();
        var adminIds = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == VigilRoles.Admin select ur.UserId).ToListAsync(ct);
        var memberships = (await db.ProjectMembers.AsNoTracking().Select(m => new { m.UserId, m.ProjectId }).ToListAsync(ct))
            .ToLookup(m => m.UserId, m => m.ProjectId);
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        return users.Select(u => new UserSummary(u.Id, u.Email ?? u.UserName ?? u.Id, adminIds.Contains(u.Id), u.LockoutEnd > now, u.CreatedAtUs,
            memberships[u.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    public async Task<UserSummary?> GetAsync(string userId, CancellationToken ct = default) =>
        (await ListAsync(ct)).FirstOrDefault(u => u.Id == userId);

    /// <summary>Deletes the account (its memberships go with it) and ends its sessions at once. The last admin stays.</summary>
    public async Task<DeleteAccountOutcome> DeleteAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return DeleteAccountOutcome.NotFound;
        if (await users.IsInRoleAsync(user, VigilRoles.Admin) && (await users.GetUsersInRoleAsync(VigilRoles.Admin)).Count <= 1)
            return DeleteAccountOutcome.LastAdmin;
        Check(await users.DeleteAsync(user), "delete the account");
        revocations.Revoke(userId);
        logger.LogInformation("Deleted user {UserId}", userId);
        return DeleteAccountOutcome.Deleted;
    }

    /// <summary>A one-time token that sets the account's password (valid until used or a day passes); null for an unknown account.</summary>
    public async Task<string?> PasswordResetTokenAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.FindByIdAsync(userId) is { } user ? await users.GeneratePasswordResetTokenAsync(user) : null;
    }

    /// <summary>Sets the password with a reset token. The token works once: resetting changes the security stamp it is bound to.</summary>
    public async Task<IdentityResult> ResetPasswordAsync(string userId, string token, string password, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return IdentityResult.Failed(new IdentityError { Code = "InvalidToken", Description = "Invalid token." });
        var result = await users.ResetPasswordAsync(user, token, password);
        if (result.Succeeded)
        {
            // Five wrong passwords may have locked the account: a reset is how its owner gets back in.
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            revocations.Revoke(userId);
        }
        return result;
    }

    public async Task<IdentityResult> ChangePasswordAsync(string userId, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return IdentityResult.Failed(new IdentityError { Code = "NotFound", Description = "The account no longer exists." });
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (result.Succeeded) revocations.Revoke(userId);
        return result;
    }

    /// <summary>Ends every session of the account, on every device, at once.</summary>
    public async Task<bool> SignOutEverywhereAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return false;
        Check(await users.UpdateSecurityStampAsync(user), "change the security stamp");
        revocations.Revoke(userId);
        return true;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
