using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// PostgreSQL's transient write failures by SQL state: disk full (53100), lock and serialization conflicts (55P03,
/// 40P01, 40001), a read-only transaction or standby (25006), shutdown and connection failures (57P0x, class 08, network
/// errors). Registered with the PostgreSQL provider.
/// </summary>
internal sealed class PostgresStorageFaults(IDbContextFactory<VigilDbContext> dbFactory) : IStorageFaults
{
    public StorageFault? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    var kind = pg.SqlState switch
                    {
                        "53100" => StorageFaultKind.Full,
                        "55P03" or "40P01" or "40001" => StorageFaultKind.Busy,
                        "25006" => StorageFaultKind.ReadOnly,
                        "53300" or "57P01" or "57P02" or "57P03" => StorageFaultKind.Unavailable,
                        _ when pg.SqlState.StartsWith("08", StringComparison.Ordinal) => StorageFaultKind.Unavailable,
                        _ => (StorageFaultKind?)null,
                    };
                    return kind is { } k ? new StorageFault(k, pg.MessageText) : null;
                case NpgsqlException { IsTransient: true } npgsql:
                    return new StorageFault(StorageFaultKind.Unavailable, npgsql.Message);
            }
        }
        return null;
    }

    public async Task<StorageFault?> ProbeWriteAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // A standby or a read-only default transaction refuses this; a full disk fails the table's first pages.
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE vigil_write_probe(x bytea); INSERT INTO vigil_write_probe VALUES (decode(repeat('00', 65536), 'hex'));", ct);
            await tx.RollbackAsync(ct);
            return null;
        }
        catch (Exception ex) when (Classify(ex) is { } fault)
        {
            return fault;
        }
    }
}
