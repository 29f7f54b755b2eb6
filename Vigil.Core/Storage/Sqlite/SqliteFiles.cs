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

    /// <summary>The configured connection string, or the default one (absolute, resolved against <paramref name="baseDirectory"/>).</summary>
    public static string ConnectionString(IConfiguration configuration, string baseDirectory)
    {
        var configured = configuration.GetConnectionString("Vigil") ?? configuration["Vigil:ConnectionStrings:Vigil"];
        if (configured is not null) return configured;
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

    /// <summary>
    /// Before SQLite opens it: the folder exists (0700 when Vigil creates it) and the file is 0600. SQLite gives its WAL
    /// and shared-memory files the database file's permissions, so they are owner-only too.
    /// </summary>
    public static void Prepare(string connectionString)
    {
        if (DatabasePath(connectionString) is not { } path) return;
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder)) OwnerOnly.CreateFolder(folder);
        OwnerOnly.CreateFile(path);
        foreach (var suffix in new[] { "-wal", "-shm" })
            if (File.Exists(path + suffix)) OwnerOnly.Tighten(path + suffix, OwnerOnly.File);
    }
}
