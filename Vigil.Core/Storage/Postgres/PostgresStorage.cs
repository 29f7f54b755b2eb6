using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Vigil.Core.Storage.Postgres;

/// <summary>Server mode: PostgreSQL, one database for one or many Vigil instances.</summary>
internal static class PostgresStorage
{
    public static void Add(IServiceCollection services, string connectionString, DatabaseOptions options)
    {
        var cs = Normalize(connectionString);
        services.AddSingleton(new StorageLocation(null));
        services.AddDbContextFactory<PostgresVigilDbContext>(o => Configure(o, cs));
        services.AddSingleton<IDbContextFactory<VigilDbContext>, ContextFactory<PostgresVigilDbContext>>();
        services.AddScoped<VigilDbContext>(sp => sp.GetRequiredService<PostgresVigilDbContext>());
        // PostgreSQL takes concurrent writers; the gate only bounds how many connections writes hold at once.
        services.AddSingleton(new WriteGate(32));
        services.AddSingleton<IIngestStore>(sp => new PostgresIngestStore(cs, sp.GetRequiredService<IngestWriterTimings>()));
        services.AddSingleton<IDriftWindowSource>(sp => new PostgresDriftWindowSource(cs));
        services.AddSingleton<ITraceSearch, PostgresTraceSearch>();
        services.AddSingleton<IClusterLocks>(new PostgresClusterLocks(cs));
        services.AddSingleton<IReplayClaims>(sp => new PostgresReplayClaims(cs));
        services.AddSingleton<IStorageFaults, PostgresStorageFaults>();
        services.AddSingleton<IHistoryStore>(sp => new PostgresHistoryStore(cs, sp.GetRequiredService<TimeProvider>()));
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) => builder
        .UseNpgsql(connectionString)
        .UseSnakeCaseNamingConvention()
        .AddInterceptors(PostgresTextInterceptor.Instance)
        // Capped counts (Take(n + 1).Count()) limit rows without an order on purpose; every served page is sorted.
        .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning));

    private static string Normalize(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        // The writers' and readers' few statements are parsed and planned once per connection, not on every call.
        if (b.MaxAutoPrepare == 0) b.MaxAutoPrepare = 32;
        if (string.IsNullOrEmpty(b.ApplicationName)) b.ApplicationName = "vigil";
        return b.ConnectionString;
    }
}
