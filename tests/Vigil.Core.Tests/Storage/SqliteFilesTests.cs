using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;

namespace Vigil.Core.Tests.Storage;

public sealed class SqliteFilesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-files-tests", Guid.NewGuid().ToString("N"));

    public SqliteFilesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IConfiguration Config(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static string DataSource(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    /// <summary>Finding: the database and key ring went into the source folder (Vigil.Web/vigil.db, Vigil.Web/keys/).</summary>
    [Fact]
    public void By_default_the_database_goes_into_the_data_folder()
    {
        Assert.Equal(Path.Combine(_dir, "data", "vigil.db"), DataSource(SqliteFiles.DefaultConnectionString(Config(), _dir)));
    }

    [Fact]
    public void An_existing_database_of_an_earlier_version_is_kept_where_it_is()
    {
        File.WriteAllBytes(Path.Combine(_dir, "vigil.db"), []);
        Assert.Equal(Path.Combine(_dir, "vigil.db"), DataSource(SqliteFiles.DefaultConnectionString(Config(), _dir)));
    }

    [Fact]
    public void A_configured_data_folder_or_connection_string_wins()
    {
        Assert.Equal(Path.Combine(_dir, "elsewhere", "vigil.db"),
            DataSource(SqliteFiles.DefaultConnectionString(Config(("Vigil:DataDirectory", "elsewhere")), _dir)));
        Assert.Equal("Data Source=/srv/vigil.db", StorageServiceCollectionExtensions.ConnectionString(Config(("ConnectionStrings:Vigil", "Data Source=/srv/vigil.db"))));
    }

    [Fact]
    public async Task The_data_folder_and_the_database_files_are_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var connectionString = SqliteFiles.DefaultConnectionString(Config(), _dir);
        SqliteFiles.PrepareFolder(SqliteFiles.DatabasePath(connectionString)!);
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);";
            await cmd.ExecuteNonQueryAsync();
            SqliteFiles.TightenFiles(SqliteFiles.DatabasePath(connectionString)!);
            Assert.Equal(OwnerOnly.Folder, File.GetUnixFileMode(Path.Combine(_dir, "data")));
            foreach (var file in new[] { "vigil.db", "vigil.db-wal", "vigil.db-shm" })
                Assert.Equal(OwnerOnly.File, File.GetUnixFileMode(Path.Combine(_dir, "data", file)));
        }
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Missing_parent_folders_are_created_owner_only_too()
    {
        if (OperatingSystem.IsWindows()) return;
        OwnerOnly.CreateFolder(Path.Combine(_dir, "a", "b"));
        Assert.Equal(OwnerOnly.Folder, File.GetUnixFileMode(Path.Combine(_dir, "a")));
        Assert.Equal(OwnerOnly.Folder, File.GetUnixFileMode(Path.Combine(_dir, "a", "b")));
    }
}
