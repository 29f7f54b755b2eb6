using Vigil.Core;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Hosting;

/// <summary>Raises the thread pool's minimum (<see cref="ThreadPoolOptions"/>) before the server takes requests; never lowers it.</summary>
internal sealed class ThreadPoolSetup(IOptions<ThreadPoolOptions> options, ILogger<ThreadPoolSetup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = options.Value.MinWorkerThreads;
        if (wanted > workers && ThreadPool.SetMinThreads(wanted, io))
            logger.LogDebug("Thread pool minimum raised from {Before} to {After} worker threads", workers, wanted);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

public static class ThreadPoolExtensions
{
    /// <summary>
    /// Registered first, so it runs before the other hosted services and before the server listens (hosted services
    /// start in registration order, ahead of Kestrel).
    /// </summary>
    public static IServiceCollection AddVigilThreadPool(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ThreadPoolOptions, ThreadPoolOptionsValidator>(configuration, ThreadPoolOptions.Section);
        services.AddHostedService<ThreadPoolSetup>();
        return services;
    }
}
