using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>
/// Lets <c>dotnet ef migrations add X --project Vigil.Core --context SqliteVigilDbContext --output-dir Storage/Sqlite/Migrations</c>
/// run without starting the web host.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteVigilDbContext>
{
    public SqliteVigilDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteVigilDbContext>();
        SqliteStorage.Configure(options, "Data Source=design.db", busyTimeoutMs: 5000);
        return new SqliteVigilDbContext(options.Options);
    }
}
