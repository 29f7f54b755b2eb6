using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Alerting;

namespace Vigil.Core.Drift;

public static class DriftServiceCollectionExtensions
{
    /// <summary>Drift detection, its alerts and settings, and the background scheduler. Needs <c>AddVigilCore</c>.</summary>
    public static IServiceCollection AddVigilDrift(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DriftOptions>().Bind(configuration.GetSection(DriftOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Binning), $"{DriftOptions.Section}:Binning must be Quantile or EqualWidth")
            .Validate(o => Enum.IsDefined(o.GroupBy), $"{DriftOptions.Section}:GroupBy must be Kind, KindName or KindModel")
            .ValidateOnStart();
        services.TryAddSingleton<OutboxSignal>(); // alert state changes are queued for the channels (AddVigilAlerting sends them)
        services.AddSingleton<DriftDetector>();
        services.AddSingleton<DriftAlertService>();
        services.AddSingleton<DriftSettingsService>();
        services.AddSingleton<DriftScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DriftScheduler>());
        return services;
    }
}
