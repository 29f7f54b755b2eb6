using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;

namespace Vigil.Bench.Query;

/// <summary>A context factory over one SQLite file, configured like the server's (same pragmas through the interceptor).</summary>
internal sealed class BenchDbFactory(string connectionString) : IDbContextFactory<VigilDbContext>
{
    private readonly DbContextOptions<VigilDbContext> _options = new DbContextOptionsBuilder<VigilDbContext>()
        .UseSqlite(connectionString)
        .AddInterceptors(new SqliteConnectionInterceptor(5000))
        .Options;

    public VigilDbContext CreateDbContext() => new(_options);
}
