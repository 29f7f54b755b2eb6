using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>SQLite has one writer at a time: one writer loop, which every ingest request shares (group commit).</summary>
internal sealed class SqliteIngestStore(IDbContextFactory<VigilDbContext> dbFactory, IngestWriterTimings timings, IOptions<DatabaseOptions> options,
    ILogger<SqliteIngestWriter> logger) : IIngestStore
{
    public int Writers => 1;

    public IIngestWriter OpenWriter(int slot) => new SqliteIngestWriter(dbFactory, timings, options.Value.WalRestartPages, logger);
}
