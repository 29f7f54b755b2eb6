namespace Vigil.Core.Storage;

/// <summary>Where the database is, for the banner and the key ring: the full path of a file database, else null.</summary>
public sealed record StorageLocation(string? DatabasePath)
{
    /// <summary>The folder of a file database (where the key ring goes by default), else null.</summary>
    public string? Directory => DatabasePath is null ? null : Path.GetDirectoryName(DatabasePath);
}
