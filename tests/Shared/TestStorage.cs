using Microsoft.Data.Sqlite;
using Npgsql;

namespace Vigil.Tests;

/// <summary>
/// The database of one test host: a SQLite file in a temp folder, or, when the run sets
/// <c>VIGIL_TEST_PROVIDER=postgres</c>, a fresh PostgreSQL database on the server in <c>VIGIL_TEST_PG</c>
/// (default: 127.0.0.1:5432, role vigil/vigil), copied from a migrated template so each host starts in milliseconds.
/// Either way there is a temp folder (<see cref="Dir"/>) for files the host writes beside its database.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    public static bool IsPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable("VIGIL_TEST_PROVIDER"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("VIGIL_TEST_PG") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil";

    private readonly string? _database;

    private TestStorage(string dir, string connectionString, string? database)
    {
        IsOnPostgres = database is not null;
        Dir = dir;
        ConnectionString = connectionString;
        _database = database;
    }

    /// <summary>A temp folder that goes with the database (the SQLite file lives here).</summary>
    public string Dir { get; }

    public string ConnectionString { get; }

    /// <summary>This database is a PostgreSQL one (whatever the run's default).</summary>
    public bool IsOnPostgres { get; }

    /// <summary>The SQLite file; only for SQLite-only tests.</summary>
    public string DbPath => IsOnPostgres ? throw new InvalidOperationException("No SQLite file: this database is PostgreSQL.") : Path.Combine(Dir, "vigil.db");

    /// <summary>The configuration a host needs for this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ConnectionStrings:Vigil", ConnectionString),
        new("Vigil:Database:Provider", IsOnPostgres ? "Postgres" : "Sqlite"),
    ];

    /// <param name="migrated">False: an empty database (PostgreSQL), for tests that migrate it themselves.</param>
    public static TestStorage Create(string area, bool migrated = true) => IsPostgres ? CreatePostgres(area, migrated) : CreateSqlite(area);

    public static TestStorage CreateSqlite(string area)
    {
        var dir = NewDir(area);
        return new TestStorage(dir, $"Data Source={Path.Combine(dir, "vigil.db")}", null);
    }

    /// <summary>A PostgreSQL database whatever the run's provider (e.g. the target of an import).</summary>
    public static TestStorage CreatePostgres(string area, bool migrated = true)
    {
        var dir = NewDir(area);

        var name = "vigil_t_" + Guid.NewGuid().ToString("N")[..20];
        var template = migrated ? PostgresTemplate.Ensure() : "template0";
        using (var admin = new NpgsqlConnection(Admin()))
        {
            admin.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", admin);
            PostgresTemplate.Retry(() => cmd.ExecuteNonQuery());
        }
        return new TestStorage(dir, Database(name), name);
    }

    private static string NewDir(string area)
    {
        var dir = Path.Combine(Path.GetTempPath(), area, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    internal static string Admin() => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    internal static string Database(string name) => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(Admin());
            admin.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
            // FORCE may not end a backend of another role (42501: autovacuum working on the fresh database): it soon ends
            // by itself, so try again; a database left behind is cleaner's work, not a failed test.
            for (var attempt = 1; ; attempt++)
            {
                try { cmd.ExecuteNonQuery(); break; }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege || e.SqlState == PostgresErrorCodes.ObjectInUse)
                {
                    if (attempt == 20) { Console.Error.WriteLine($"Test database {_database} left behind: {e.MessageText}"); break; }
                    Thread.Sleep(250 * Math.Min(attempt, 4));
                }
            }
        }
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
