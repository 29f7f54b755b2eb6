using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Vigil.Core;
using Vigil.Core.Replay;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;

namespace Vigil.Web.Replay;

public static class ReplayHostingExtensions
{
    public const string KeysPathSetting = "Vigil:DataProtection:KeysPath";

    /// <summary>
    /// The replay engine plus what only the host has: Data Protection for provider keys, its key ring persisted so a
    /// restart can still decrypt stored keys: on SQLite to a folder (default: <c>keys</c> next to the database, so in the
    /// git-ignored data directory) with owner-only permissions; on PostgreSQL in the database, so every instance shares
    /// it (unless a folder is configured). Call after AddVigilCore.
    /// </summary>
    public static IServiceCollection AddVigilReplayHosting(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = services.Select(d => d.ImplementationInstance).OfType<StorageLocation>().FirstOrDefault()
            ?? throw new InvalidOperationException("Call AddVigilCore before AddVigilReplayHosting.");
        var dataProtection = services.AddDataProtection().SetApplicationName("Vigil");
        var provider = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        if (provider == DatabaseProvider.Postgres && configuration[KeysPathSetting] is null)
        {
            dataProtection.PersistKeysToDbContext<VigilDbContext>();
            services.AddSingleton(new KeyRingLocation("the database (table data_protection_keys)"));
        }
        else
        {
            var keysPath = KeysPath(configuration, storage);
            OwnerOnly.CreateFolder(keysPath);
            services.AddSingleton(new KeyRingLocation(keysPath));
            services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((o, loggers) =>
                o.XmlRepository = new OwnerOnlyXmlRepository(new FileSystemXmlRepository(new DirectoryInfo(keysPath), loggers), keysPath));
        }
        // The key ring is stored as plain XML, protected like the database beside it (owner-only files, see OwnerOnly); an
        // XML encryptor would need a secret kept somewhere else again. Data Protection warns about that on every first
        // start ("No XML encryptor configured"), which nobody running Vigil can act on: its warnings are not shown.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter(typeof(XmlKeyManager).FullName, LogLevel.Error));
        services.AddSingleton<IProviderKeyProtector, DataProtectionKeyProtector>();
        services.AddVigilReplay(configuration);
        return services;
    }

    /// <summary>The configured folder, else <c>keys</c> next to the database file (or in the data directory).</summary>
    public static string KeysPath(IConfiguration configuration, StorageLocation storage) =>
        configuration[KeysPathSetting] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(storage.Directory ?? Path.GetFullPath(configuration[SqliteFiles.DataDirectorySetting] ?? SqliteFiles.DefaultDataDirectory), "keys");
}
