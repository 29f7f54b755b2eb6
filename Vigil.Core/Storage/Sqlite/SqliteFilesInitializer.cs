using Microsoft.Extensions.Hosting;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// The database file's folder exists (0700 when Vigil creates it) before the storage initializer migrates, and once
/// everything has started the database, WAL and shared-memory files are made 0600 (see <see cref="SqliteFiles"/>).
/// </summary>
internal sealed class SqliteFilesInitializer(string databasePath) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken ct)
    {
        SqliteFiles.PrepareFolder(databasePath);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken ct)
    {
        SqliteFiles.TightenFiles(databasePath);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
