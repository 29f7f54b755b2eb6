using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Web.Projects;

public sealed record ApiKeyDto(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public static ApiKeyDto From(ApiKey k) => new(k.Id, k.Name, k.Prefix + "…", UnixMicros.ToDateTime(k.CreatedAtUs),
        UnixMicros.ToDateTime(k.RevokedAtUs), UnixMicros.ToDateTime(k.LastUsedAtUs));
}

/// <summary>A project; <c>deletion</c> is set while it is being deleted.</summary>
public sealed record ProjectDto(string Id, string Name, string? Description, DateTime CreatedAt, IReadOnlyList<ApiKeyDto>? Keys, ProjectDeletionDto? Deletion = null)
{
    public static ProjectDto From(Project p, IEnumerable<ApiKey>? keys = null, ProjectDeletion? deletion = null) =>
        new(p.Id, p.Name, p.Description, UnixMicros.ToDateTime(p.CreatedAtUs), keys?.Select(ApiKeyDto.From).ToList(),
            deletion is null ? null : ProjectDeletionDto.From(deletion));
}

/// <summary>A deletion in progress: <c>status</c> is always "deleting"; the traces it started with and those left.</summary>
public sealed record ProjectDeletionDto(string ProjectId, string Status, DateTime StartedAt, long TracesTotal, long TracesRemaining)
{
    public static ProjectDeletionDto From(ProjectDeletion d) => new(d.ProjectId, "deleting", d.Since, d.TracesTotal, d.TracesRemaining);
}

/// <summary>The new secret is answered once and never again.</summary>
public sealed record RotatedKeyResponse(string ProjectId, string Key, string Prefix);

public sealed record CreateProjectRequest(string? Id, string? Name, string? Description);

/// <summary>The new project's first key is answered once as <c>api_key</c> and never again.</summary>
public sealed record CreatedProjectResponse(string Id, string Name, string? Description, DateTime CreatedAt, string ApiKey)
{
    public static CreatedProjectResponse From(Project p, string secret) =>
        new(p.Id, p.Name, p.Description, UnixMicros.ToDateTime(p.CreatedAtUs), secret);
}

public sealed record CreateKeyRequest(string? Name);

/// <summary>A new named key: the secret is answered once as <c>key</c> and never again.</summary>
public sealed record CreatedKeyResponse(long Id, string ProjectId, string Name, string Key, string Prefix);
