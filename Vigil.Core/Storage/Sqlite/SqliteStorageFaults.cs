using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>SQLite's transient write failures: SQLITE_FULL, SQLITE_BUSY/LOCKED, SQLITE_READONLY, SQLITE_CANTOPEN/IOERR.</summary>
internal sealed class SqliteStorageFaults(IDbContextFactory<VigilDbContext> dbFactory) : IStorageFaults
{
    public StorageFault? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is not SqliteException sqlite) continue;
            // The primary result code is the low byte of the extended one (SQLITE_READONLY_DBMOVED is READONLY, ...).
            var code = (sqlite.SqliteExtendedErrorCode != 0 ? sqlite.SqliteExtendedErrorCode : sqlite.SqliteErrorCode) & 0xFF;
            var kind = code switch
            {
                raw.SQLITE_FULL => StorageFaultKind.Full,
                raw.SQLITE_BUSY or raw.SQLITE_LOCKED => StorageFaultKind.Busy,
                raw.SQLITE_READONLY => StorageFaultKind.ReadOnly,
                raw.SQLITE_CANTOPEN or raw.SQLITE_IOERR => StorageFaultKind.Unavailable,
                _ => (StorageFaultKind?)null,
            };
            return kind is { } k ? new StorageFault(k, sqlite.Message) : null;
        }
        return null;
    }

    public async Task<StorageFault?> ProbeWriteAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // Microsoft.Data.Sqlite retries a busy database for the whole command timeout (30 s): readiness answers sooner.
            db.Database.SetCommandTimeout(TimeSpan.FromSeconds(2));
            await db.Database.OpenConnectionAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // New pages (a table and 64 KiB): a full database or disk fails here; a lock or a read-only file fails at once.
            // Rolled back, so nothing of it stays.
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE vigil_write_probe(x BLOB); INSERT INTO vigil_write_probe VALUES (zeroblob(65536));", ct);
            await tx.RollbackAsync(ct);
            return null;
        }
        catch (Exception ex) when (Classify(ex) is { } fault)
        {
            return fault;
        }
    }
}
