using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Core.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// This instance's identity and, when <c>Vigil:Redis:ConnectionString</c> is set, the Redis bus: the live feed relayed
    /// between instances and API key changes announced to all. Without Redis nothing here runs and a single instance
    /// works exactly as before. (The SignalR backplane and cluster rate limits are the host's: see Vigil.Web.)
    /// </summary>
    public static IServiceCollection AddVigilCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section)).ValidateOnStart();
        // Hand-written: it parses the Redis configuration string and checks the storage provider beside it.
        services.AddSingleton<IValidateOptions<RedisOptions>>(new RedisOptionsValidator(configuration));
        services.TryAddSingleton<ClusterInstance>();
        services.TryAddSingleton<LiveEventCodec>();
        services.TryAddSingleton<IKeyCacheBroadcast, SingleInstanceKeyCache>();
        services.AddLiveEventType<SpansEvent>("spans");
        services.AddLiveEventType<TraceEvent>("trace");
        services.AddLiveEventType<NotificationEvent>("notification");

        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (!redis.Enabled) return services;
        services.AddSingleton<RedisBus>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisBus>());
        services.AddHostedService<RedisLiveRelay>();
        services.AddHostedService<RedisKeyCacheSync>();
        services.Replace(ServiceDescriptor.Singleton<IKeyCacheBroadcast, RedisKeyCacheSync.Broadcast>());
        return services;
    }

    private sealed class RedisOptionsValidator(IConfiguration configuration) : IValidateOptions<RedisOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisOptions options)
        {
            var errors = options.Validate().ToList();
            var provider = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
            if (options.Enabled && provider != DatabaseProvider.Postgres)
                errors.Add($"{RedisOptions.Section}:ConnectionString is for several instances on one PostgreSQL database; " +
                    "SQLite serves one instance (set Vigil:Database:Provider=Postgres, or remove the Redis setting).");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
