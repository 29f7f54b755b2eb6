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
        var path = SqliteFiles.DatabasePath(cs);
        services.AddSingleton(new StorageLocation(path));
        // Registered before the storage initializer, so the folder exists (owner-only) before migrations create the file.
        if (path is not null) services.AddHostedService(_ => new SqliteFilesInitializer(path));
        services.AddDbContextFactory<SqliteVigilDbContext>(o => Configure(o, cs, options.BusyTimeoutMs));
        services.AddSingleton<IDbContextFactory<VigilDbContext>, ContextFactory<SqliteVigilDbContext>>();
        services.AddScoped<VigilDbContext>(sp => sp.GetRequiredService<SqliteVigilDbContext>());
        // SQLite has one writer at a time; queueing here is cheaper and fairer than transactions spinning on SQLITE_BUSY.
        services.AddSingleton(new WriteGate(1));
        services.AddSingleton<IIngestStore, SqliteIngestStore>();
        services.AddSingleton<IDriftWindowSource, SqliteDriftWindowSource>();
        services.AddSingleton<ITraceSearch, SqliteTraceSearch>();
        services.AddSingleton<IClusterLocks, InProcessClusterLocks>();
        services.AddSingleton<IReplayClaims, SqliteReplayClaims>();
        services.AddSingleton<IStorageFaults, SqliteStorageFaults>();
        services.AddSingleton<IHistoryStore, SqliteHistoryStore>();
        services.AddHostedService<SqliteIndexMerger>();
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString, int busyTimeoutMs) => builder
        .UseSqlite(connectionString)
        .UseSnakeCaseNamingConvention()
        .AddInterceptors(new SqliteConnectionInterceptor(busyTimeoutMs))
        // EF rebuilds a SQLite table (SpanTraceKey does) between "PRAGMA foreign_keys = 0/1", which SQLite ignores inside
        // a transaction, so EF runs those two statements outside it and warns on every first start. The rebuild itself
        // runs in the migration's transaction; nothing a user can act on. Capped counts (Take(n + 1).Count()) limit rows
        // without an order on purpose; every page the API serves is sorted (TraceQueryPlanTests).
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning, CoreEventId.RowLimitingOperationWithoutOrderByWarning));

    private static string Normalize(string connectionString)
    {
        var b = new SqliteConnectionStringBuilder(connectionString);
        // How long a statement waits for another writer is SQLite's busy timeout (the pragma, Vigil:Database:BusyTimeoutMs).
        // Microsoft.Data.Sqlite retries a busy statement on top of it for its Default Timeout (30 s): under the write
        // gate that held every batch behind another process's lock for 30 s per statement, where it should answer 503
        // after the busy timeout. One second of the driver's retries unless the connection string asks for more.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Default Timeout") && !given.ContainsKey("Command Timeout")) b.DefaultTimeout = 1;
        return b.ToString();
    }
}
