namespace Vigil.Core.Accounts;

/// <summary>Grants a (non-admin) user access to one project.</summary>
public sealed class ProjectMember
{
    public required string ProjectId { get; set; }
    public required string UserId { get; set; }
    public long CreatedAtUs { get; set; }
}
