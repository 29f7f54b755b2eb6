using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Core.Cluster;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Logs;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Live;
using Vigil.Core.Metrics;
using Vigil.Core.Notifications;
using Vigil.Core.Pricing;
using Vigil.Core.Projects;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core;

public static class VigilCoreServiceCollectionExtensions
{
    /// <summary>Storage, ingest, queries, projects and the live feed. Options are validated at start-up.</summary>
    public static IServiceCollection AddVigilCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddVigilStorage(configuration);
        services.AddValidatedOptions<IngestOptions, IngestOptionsValidator>(configuration, IngestOptions.Section);
        services.AddValidatedOptions<ApiKeyCacheOptions, ApiKeyCacheOptionsValidator>(configuration, ApiKeyCacheOptions.Section);
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section));
        services.AddValidatedOptions<InitOptions, InitOptionsValidator>(configuration, InitOptions.Section);

        services.TryAddTimeProvider();
        services.AddSingleton<PriceTable>();
        services.AddSingleton<LiveFeed>();
        services.AddVigilCluster(configuration);
        services.AddSingleton(sp => new IngestPipeline(sp.GetRequiredService<IIngestStore>(), sp.GetRequiredService<WriteGate>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<IngestPipeline>>()));
        services.AddSingleton<IngestService>();
        services.AddSingleton<SpanLogStore>();
        services.AddHostedService<SpanLogSweeper>();
        services.AddSingleton<OtlpIngestService>();
        services.AddSingleton<TraceQueryService>();
        services.AddSingleton<Scores.ScoreService>();
        services.AddSingleton<Scores.ScoreStatsService>();
        services.AddLiveEventType<Scores.ScoreEvent>("score"); // a score added on one instance shows on every dashboard
        services.AddSingleton<Sessions.SessionQueryService>();
        services.AddSingleton<Sessions.EndUserQueryService>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<TraceExporter>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<Vigil.Core.Accounts.MembershipService>();
        services.AddSingleton<Vigil.Core.Audit.AuditLog>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<MetricRollupQuery>();
        services.AddSingleton<MetricsService>();
        services.AddSingleton<FirstRun>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
