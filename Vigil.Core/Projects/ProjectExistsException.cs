namespace Vigil.Core.Projects;

/// <summary>A project with this id exists already (answered 409).</summary>
public sealed class ProjectExistsException(string projectId) : InvalidOperationException($"Project '{projectId}' already exists.")
{
    public string ProjectId { get; } = projectId;
}
