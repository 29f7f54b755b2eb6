using Microsoft.AspNetCore.Identity;

namespace Vigil.Core.Accounts;

/// <summary>A person who signs in to the dashboard. Identity's own columns are enough for now.</summary>
public sealed class AppUser : IdentityUser
{
    public long CreatedAtUs { get; set; }
}
