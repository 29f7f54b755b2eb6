using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Cluster;
using Vigil.Core.Replay.Providers;

namespace Vigil.Core.Replay;

public static class ReplayServiceCollectionExtensions
{
    /// <summary>
    /// The replay engine, providers and worker. The host must also register an <see cref="IProviderKeyProtector"/>;
    /// <see cref="INotificationSink"/> defaults to <see cref="DbNotificationSink"/> unless one is registered first.
    /// </summary>
    public static IServiceCollection AddVigilReplay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ReplayOptions, ReplayOptionsValidator>(configuration, ReplayOptions.Section);
        services.AddSingleton<IReplayProvider, OpenAiReplayProvider>();
        services.AddSingleton<IReplayProvider, AnthropicReplayProvider>();
        services.AddSingleton<ProviderEndpointResolver>();
        services.AddSingleton<ProviderSettingsService>();
        services.AddSingleton<ReplayQueue>();
        services.AddSingleton<ReplayLeases>();
        services.AddSingleton<ReplayService>();
        services.AddSingleton<ReplayExecutor>();
        if (!services.Any(d => d.ServiceType == typeof(INotificationSink))) services.AddSingleton<INotificationSink, DbNotificationSink>();
        services.AddHostedService<ReplayWorker>();
        services.AddLiveEventType<ReplayStatusEvent>("replay_status");
        return services;
    }
}
