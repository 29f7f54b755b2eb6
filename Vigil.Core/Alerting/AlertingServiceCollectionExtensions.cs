using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Alerting.Monitors;

namespace Vigil.Core.Alerting;

public static class AlertingServiceCollectionExtensions
{
    /// <summary>
    /// Channels, the outbox sender, monitors and their scheduler. Needs <c>AddVigilCore</c> and an
    /// <see cref="Replay.IProviderKeyProtector"/> from the host (channel URLs and secrets are encrypted with it).
    /// </summary>
    public static IServiceCollection AddVigilAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AlertingOptions, AlertingOptionsValidator>(configuration, AlertingOptions.Section);
        services.TryAddSingleton<OutboxSignal>();
        services.AddSingleton<DashboardLinks>();
        services.AddSingleton<ChannelService>();
        services.AddSingleton<DeliveryLogService>();
        services.AddSingleton<MonitorService>();
        services.AddSingleton<MonitorEvaluator>();
        // Replaced by a rollup-based source once per-minute rollups are kept at ingest.
        services.TryAddSingleton<SpanWindowMetricSource>();
        services.TryAddSingleton<IMonitorMetricSource, MonitorMetricSource>();
        services.AddHttpClient(DeliverySender.HttpClientName, c =>
            {
                c.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own (SendTimeoutSeconds)
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Vigil-Alerts/1.0");
            })
            // No redirects (a channel URL is where alerts go, nowhere else), and no request logging: Slack and Teams
            // URLs carry their credential in the path.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.AddSingleton<DeliverySender>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliverySender>());
        services.AddSingleton<MonitorScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorScheduler>());
        return services;
    }
}
