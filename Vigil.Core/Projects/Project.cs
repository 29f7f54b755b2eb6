namespace Vigil.Core.Projects;

/// <summary>A tenant: every trace, span and key belongs to exactly one project.</summary>
public sealed class Project
{
    /// <summary>Slug, e.g. "default" or "my-project".</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public long CreatedAtUs { get; set; }
}
