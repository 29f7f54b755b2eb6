using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>Opens a Vigil SQLite file as the source of a history import (brought up to this version's schema first).</summary>
public static class SqliteHistorySource
{
    public static async Task<VigilDbContext> OpenAsync(string path, ILogger logger, CancellationToken ct)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No SQLite file at {path}.", path);
        var options = new DbContextOptionsBuilder<SqliteVigilDbContext>();
        SqliteStorage.Configure(options, new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString(), busyTimeoutMs: 5000);
        var db = new SqliteVigilDbContext(options.Options);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            // An older Vigil's file: upgrade it the way starting this version on it would.
            logger.LogInformation("Upgrading {Path} to this version's schema first: {Names}", path, string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
        }
        await Metrics.MetricRollupBackfill.RunAsync(db, logger, ct);
        return db;
    }
}
