namespace Vigil.Core.Projects;

/// <summary>A project being deleted: since when, and its traces then and now.</summary>
public sealed record ProjectDeletion(string ProjectId, DateTime Since, long TracesTotal, long TracesRemaining)
{
    /// <summary>Whether this request started the deletion (a repeated request finds it under way): what the audit log records.</summary>
    public bool Started { get; init; }
}
