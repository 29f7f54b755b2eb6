using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
    public const string DefaultConnectionString = StorageServiceCollectionExtensions.DefaultConnectionString;

    /// <summary>Storage, ingest, queries, projects and the live feed. Options are validated at start-up.</summary>
    public static IServiceCollection AddVigilCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddVigilStorage(configuration);
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section));
        services.AddOptions<InitOptions>().Bind(configuration.GetSection(InitOptions.Section))
            .Validate(o => !o.Validate().Any(), "Vigil:Init is invalid")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InitOptions>, InitOptionsValidator>();

        services.TryAddTimeProvider();
        services.AddSingleton<PriceTable>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton(sp => new IngestPipeline(sp.GetRequiredService<IIngestStore>(), sp.GetRequiredService<WriteGate>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<IngestPipeline>>()));
        services.AddSingleton<IngestService>();
        services.AddSingleton<SpanLogStore>();
        services.AddHostedService<SpanLogSweeper>();
        services.AddSingleton<OtlpIngestService>();
        services.AddSingleton<TraceQueryService>();
        services.AddSingleton<TraceExporter>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<Vigil.Core.Accounts.MembershipService>();
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

    private sealed class InitOptionsValidator : IValidateOptions<InitOptions>
    {
        public ValidateOptionsResult Validate(string? name, InitOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
