using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Where the embedded SQLite database lives. By default in the data directory (<c>Vigil:DataDirectory</c>, default
/// <c>data/</c> under the working directory, which git ignores), never loose in the source tree; an existing
/// <c>vigil.db</c> in the working directory (where earlier versions put it) is kept so an upgrade finds its data.
/// </summary>
public static class SqliteFiles
{
    public const string DataDirectorySetting = "Vigil:DataDirectory";
    public const string DefaultDataDirectory = "data";
    public const string FileName = "vigil.db";

    /// <summary>The default connection string (absolute, resolved against <paramref name="baseDirectory"/>).</summary>
    public static string DefaultConnectionString(IConfiguration configuration, string baseDirectory)
    {
        var legacy = Path.Combine(baseDirectory, FileName);
        var path = File.Exists(legacy) && configuration[DataDirectorySetting] is null
            ? legacy
            : Path.Combine(Path.GetFullPath(configuration[DataDirectorySetting] ?? DefaultDataDirectory, baseDirectory), FileName);
        return new SqliteConnectionStringBuilder { DataSource = path }.ToString();
    }

    /// <summary>The database file's full path, or null for an in-memory or URI data source.</summary>
    public static string? DatabasePath(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return null;
        return Path.GetFullPath(dataSource);
    }

    /// <summary>Before SQLite opens the database: its folder exists, 0700 when Vigil creates it.</summary>
    public static void PrepareFolder(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder)) OwnerOnly.CreateFolder(folder);
    }

    /// <summary>
    /// Once SQLite has created them: the database, WAL and shared-memory files made 0600. (The file is not created ahead
    /// of SQLite: EF Core opens an existing file read-only to check for it, and an empty one cannot switch to WAL then.)
    /// New WAL and shared-memory files take the database file's permissions from SQLite.
    /// </summary>
    public static void TightenFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file)) OwnerOnly.Tighten(file, OwnerOnly.File);
    }
}
