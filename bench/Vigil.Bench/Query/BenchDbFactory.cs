using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;

namespace Vigil.Bench.Query;

/// <summary>A context factory over one SQLite file, configured like the server's (same naming and pragmas).</summary>
internal sealed class BenchDbFactory : IDbContextFactory<VigilDbContext>
{
    private readonly DbContextOptions<SqliteVigilDbContext> _options;

    public BenchDbFactory(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<SqliteVigilDbContext>();
        SqliteStorage.Configure(builder, connectionString, busyTimeoutMs: 5000);
        _options = builder.Options;
    }

    public VigilDbContext CreateDbContext() => new SqliteVigilDbContext(_options);
}
