namespace Vigil.Core.Accounts;

/// <summary>Admin sees and manages everything; Member sees only the projects they belong to.</summary>
public static class VigilRoles
{
    public const string Admin = "Admin";
    public const string Member = "Member";
}
