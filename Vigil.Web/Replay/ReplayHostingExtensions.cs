using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Core.Replay;

namespace Vigil.Web.Replay;

public static class ReplayHostingExtensions
{
    public const string KeysPathSetting = "Vigil:DataProtection:KeysPath";

    /// <summary>
    /// The replay engine plus what only the host has: Data Protection for provider keys, its key ring persisted to a
    /// folder (default: <c>keys</c> next to the SQLite database) so a restart can still decrypt stored keys.
    /// </summary>
    public static IServiceCollection AddVigilReplayHosting(this IServiceCollection services, IConfiguration configuration)
    {
        var keysPath = configuration[KeysPathSetting] ?? DefaultKeysPath(configuration);
        Directory.CreateDirectory(keysPath);
        services.AddDataProtection().SetApplicationName("Vigil").PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        services.AddSingleton<IProviderKeyProtector, DataProtectionKeyProtector>();
        services.AddVigilReplay(configuration);
        return services;
    }

    private static string DefaultKeysPath(IConfiguration configuration)
    {
        var cs = configuration.GetConnectionString("Vigil") ?? configuration["Vigil:ConnectionStrings:Vigil"] ?? VigilCoreServiceCollectionExtensions.DefaultConnectionString;
        var dataSource = new SqliteConnectionStringBuilder(cs).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return Path.GetFullPath("keys");
        var dir = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        return Path.Combine(string.IsNullOrEmpty(dir) ? Directory.GetCurrentDirectory() : dir, "keys");
    }
}
