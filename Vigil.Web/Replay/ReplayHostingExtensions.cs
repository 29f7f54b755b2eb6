using Microsoft.AspNetCore.DataProtection;
using Vigil.Core;
using Vigil.Core.Replay;
using Vigil.Core.Storage;

namespace Vigil.Web.Replay;

public static class ReplayHostingExtensions
{
    public const string KeysPathSetting = "Vigil:DataProtection:KeysPath";

    /// <summary>
    /// The replay engine plus what only the host has: Data Protection for provider keys, its key ring persisted so a
    /// restart can still decrypt stored keys: on SQLite to a folder (default: <c>keys</c> next to the database), on
    /// PostgreSQL in the database, so every instance shares it.
    /// </summary>
    public static IServiceCollection AddVigilReplayHosting(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("Vigil");
        var provider = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        if (provider == DatabaseProvider.Postgres && configuration[KeysPathSetting] is null)
            dataProtection.PersistKeysToDbContext<VigilDbContext>();
        else
        {
            var keysPath = configuration[KeysPathSetting] ?? DefaultKeysPath(configuration);
            Directory.CreateDirectory(keysPath);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }
        services.AddSingleton<IProviderKeyProtector, DataProtectionKeyProtector>();
        services.AddVigilReplay(configuration);
        return services;
    }

    private static string DefaultKeysPath(IConfiguration configuration) =>
        Path.Combine(StorageServiceCollectionExtensions.DataDirectory(configuration), "keys");
}
