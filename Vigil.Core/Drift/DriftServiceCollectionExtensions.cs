using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Alerting;
using Vigil.Core.Cluster;

namespace Vigil.Core.Drift;

public static class DriftServiceCollectionExtensions
{
    /// <summary>Drift detection, its alerts and settings, and the background scheduler. Needs <c>AddVigilCore</c>.</summary>
    public static IServiceCollection AddVigilDrift(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DriftOptions, DriftOptionsValidator>(configuration, DriftOptions.Section);
        services.AddSingleton<ScoreWindowReader>();
        services.TryAddSingleton<OutboxSignal>(); // alert state changes are queued for the channels (AddVigilAlerting sends them)
        services.AddSingleton<DriftDetector>();
        services.AddSingleton<DriftAlertService>();
        services.AddSingleton<DriftSettingsService>();
        services.AddSingleton<DriftScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DriftScheduler>());
        services.AddLiveEventType<DriftAlertEvent>("drift_alert");
        services.AddLiveEventType<DriftResolvedEvent>("drift_resolved");
        return services;
    }
}
