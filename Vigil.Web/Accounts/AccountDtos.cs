using Vigil.Core.Accounts;
using Vigil.Core.Storage;

namespace Vigil.Web.Accounts;

/// <summary>A dashboard account as <c>/v1/accounts</c> answers it (the monitored application's end users are <c>/v1/users</c>).</summary>
public sealed record AccountDto(string Id, string Email, string Role, bool LockedOut, DateTime CreatedAt, IReadOnlyList<string> Projects)
{
    public static AccountDto From(UserSummary u) =>
        new(u.Id, u.Email, u.IsAdmin ? "admin" : "member", u.LockedOut, UnixMicros.ToDateTime(u.CreatedAtUs), u.ProjectIds);
}

/// <summary><c>POST /v1/accounts</c>: without a password the answer carries a one-time link to set one.</summary>
public sealed record CreateAccountRequest(string? Email, string? Password, string? Role, IReadOnlyList<string>? Projects);

public sealed record CreatedAccountResponse(string Id, string Email, string Role, IReadOnlyList<string> Projects, string? PasswordUrl, DateTime? PasswordUrlExpiresAt);

/// <summary>A one-time link that lets the account's owner choose a new password.</summary>
public sealed record PasswordResetLink(string Url, DateTime ExpiresAt);

public static class AccountRoles
{
    public static string? Parse(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        null or "" or "member" => VigilRoles.Member,
        "admin" => VigilRoles.Admin,
        _ => null,
    };
}
