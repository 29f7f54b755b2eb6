namespace Vigil.Core.Storage;

/// <summary>The database Vigil uses: its connection string and, for a file database, the file's full path.</summary>
public sealed record StorageLocation(string ConnectionString, string? DatabasePath)
{
    /// <summary>The folder of a file database (where the key ring goes by default), else null.</summary>
    public string? Directory => DatabasePath is null ? null : Path.GetDirectoryName(DatabasePath);
}
