using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Metrics;
using Vigil.Core.Projects;

namespace Vigil.Core.Storage;

/// <summary>
/// Applies migrations and the initial project before anything else starts (StartingAsync runs ahead of every
/// hosted service's StartAsync, including the web server's).
/// </summary>
internal sealed class StorageInitializer(
    IDbContextFactory<VigilDbContext> dbFactory,
    IHistoryStore history,
    ProjectService projects,
    IOptions<InitOptions> init,
    FirstRun firstRun,
    ILogger<StorageInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken ct)
    {
        await history.PrepareAsync(ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // EF reads the history table before it creates it, and logs the failure of that read as an error on every
            // first start (dotnet/efcore#37328); creating it first keeps a clean start clean.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0) logger.LogInformation("Applying {Count} database migration(s): {Names}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
            await MetricRollupBackfill.RunAsync(db, logger, ct);
        }
        var result = await projects.EnsureInitialProjectAsync(init.Value, ct);
        firstRun.ProjectId = result?.ProjectId;
        firstRun.NewApiKey = result?.NewSecret;
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
