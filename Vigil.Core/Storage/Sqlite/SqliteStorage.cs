using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>The embedded provider: one SQLite file, one writer at a time, zero set-up.</summary>
internal static class SqliteStorage
{
    public static void Add(IServiceCollection services, string connectionString, DatabaseOptions options)
    {
        var cs = Normalize(connectionString);
        services.AddDbContextFactory<SqliteVigilDbContext>(o => Configure(o, cs, options.BusyTimeoutMs));
        services.AddSingleton<IDbContextFactory<VigilDbContext>, ContextFactory<SqliteVigilDbContext>>();
        services.AddScoped<VigilDbContext>(sp => sp.GetRequiredService<SqliteVigilDbContext>());
        // SQLite has one writer at a time; queueing here is cheaper and fairer than transactions spinning on SQLITE_BUSY.
        services.AddSingleton(new WriteGate(1));
        services.AddSingleton<IIngestStore, SqliteIngestStore>();
        services.AddSingleton<IDriftWindowSource, SqliteDriftWindowSource>();
        services.AddSingleton<ITraceSearch, SqliteTraceSearch>();
        services.AddSingleton<IHistoryStore, SqliteHistoryStore>();
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString, int busyTimeoutMs) => builder
        .UseSqlite(connectionString)
        .UseSnakeCaseNamingConvention()
        .AddInterceptors(new SqliteConnectionInterceptor(busyTimeoutMs))
        // EF rebuilds a SQLite table (SpanTraceKey does) between "PRAGMA foreign_keys = 0/1", which SQLite ignores inside
        // a transaction, so EF runs those two statements outside it and warns on every first start. The rebuild itself
        // runs in the migration's transaction; nothing a user can act on.
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning));

    /// <summary>The folder of the database file, or null for an in-memory or URI database.</summary>
    public static string? FileDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return null;
        return Path.GetDirectoryName(Path.GetFullPath(dataSource));
    }

    private static string Normalize(string connectionString)
    {
        var b = new SqliteConnectionStringBuilder(connectionString);
        // The busy timeout is also set by pragma; Default Timeout covers the driver's own waits.
        if (b.DefaultTimeout < 30) b.DefaultTimeout = 30;
        return b.ToString();
    }
}
