using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Core.Storage.Postgres;
using Vigil.Core.Storage.Sqlite;

namespace Vigil.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The connection string: <c>ConnectionStrings:Vigil</c> (or <c>Vigil:ConnectionStrings:Vigil</c>), else the default
    /// SQLite file in the data directory (<see cref="SqliteFiles.DefaultConnectionString"/>).
    /// </summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Vigil") ?? configuration["Vigil:ConnectionStrings:Vigil"]
        ?? SqliteFiles.DefaultConnectionString(configuration, Directory.GetCurrentDirectory());

    /// <summary>
    /// The storage provider chosen once at start-up (<c>Vigil:Database:Provider</c>): the EF Core context factory, the
    /// write gate and what differs per provider (ingest writer, drift window source, full-text search).
    /// </summary>
    public static IServiceCollection AddVigilStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(configuration, DatabaseOptions.Section);
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ConnectionString(configuration);
        services.AddSingleton<IngestWriterTimings>();
        services.AddSingleton<IndexMergePause>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                SqliteStorage.Add(services, connectionString, options);
                break;
            case DatabaseProvider.Postgres:
                PostgresStorage.Add(services, connectionString, options);
                break;
            default:
                throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                    [$"Vigil:Database:Provider '{options.Provider}' is not supported; use Sqlite or Postgres."]);
        }
        services.AddSingleton<StorageHealth>();
        return services;
    }
}
