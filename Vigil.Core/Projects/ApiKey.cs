namespace Vigil.Core.Projects;

/// <summary>A project API key. Only the SHA-256 hash of the secret is stored, never the secret.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public string Name { get; set; } = "default";
    /// <summary>The first characters of the secret (e.g. "vgl_ab12cd"), shown to users to tell keys apart.</summary>
    public required string Prefix { get; set; }
    /// <summary>Lower-case hex SHA-256 of the whole secret.</summary>
    public required string Hash { get; set; }
    public long CreatedAtUs { get; set; }
    public long? RevokedAtUs { get; set; }
    public long? LastUsedAtUs { get; set; }
}
