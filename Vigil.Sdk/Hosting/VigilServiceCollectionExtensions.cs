using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigil.Sdk;

public static class VigilServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="VigilClient"/> configured from a section (e.g. <c>configuration.GetSection("Vigil")</c>).</summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, IConfiguration section, Action<VigilOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        var builder = services.AddOptions<VigilOptions>().Bind(section);
        if (configure is not null) builder.Configure(configure);
        return services.AddVigilCore();
    }

    /// <summary>Registers a <see cref="VigilClient"/> configured in code (env vars give the defaults).</summary>
    public static IServiceCollection AddVigil(this IServiceCollection services, Action<VigilOptions>? configure = null)
    {
        var builder = services.AddOptions<VigilOptions>();
        if (configure is not null) builder.Configure(configure);
        return services.AddVigilCore();
    }

    private static IServiceCollection AddVigilCore(this IServiceCollection services)
    {
        // Bad settings stop the host at start with the message that names the option.
        services.AddOptions<VigilOptions>().Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.TryAddSingleton(sp => new VigilClient(
            sp.GetRequiredService<IOptions<VigilOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<VigilClient>(),
            autoStart: false));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VigilHostedService>());
        return services;
    }
}

/// <summary>Starts the client's exporter with the host and delivers queued spans when the host stops.</summary>
internal sealed class VigilHostedService(VigilClient client) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        client.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Bounded by the client's ShutdownTimeout; the host's own stop token also ends the wait.
        try
        {
            await client.ShutdownAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host is out of time; what is left is counted as dropped by the exporter.
        }
    }
}
