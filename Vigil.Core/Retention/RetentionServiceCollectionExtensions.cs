using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Core.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>Retention, project deletion and the background job that runs both (<c>Vigil:Retention</c>).</summary>
    public static IServiceCollection AddVigilRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(configuration, RetentionOptions.Section);
        services.AddSingleton(sp => new HistoryDeleter(sp.GetRequiredService<IHistoryStore>(), sp.GetRequiredService<WriteGate>(),
            sp.GetRequiredService<IDbContextFactory<VigilDbContext>>(), sp.GetRequiredService<IOptions<RetentionOptions>>(), sp.GetRequiredService<IndexMergePause>(),
            sp.GetRequiredService<ILogger<HistoryDeleter>>()));
        services.AddSingleton(sp => new RetentionService(sp.GetRequiredService<IDbContextFactory<VigilDbContext>>(), sp.GetRequiredService<HistoryDeleter>(),
            sp.GetRequiredService<WriteGate>(), sp.GetRequiredService<IOptions<RetentionOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RetentionService>>()));
        services.AddSingleton(sp => new ProjectDeletionService(sp.GetRequiredService<IDbContextFactory<VigilDbContext>>(), sp.GetRequiredService<HistoryDeleter>(),
            sp.GetRequiredService<ProjectService>(), sp.GetRequiredService<WriteGate>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ProjectDeletionService>>()));
        services.AddHostedService<HistoryJanitor>();
        return services;
    }
}
