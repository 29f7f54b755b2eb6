using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add X --project Vigil.Core --context PostgresVigilDbContext --output-dir Storage/Postgres/Migrations</c>
/// run without a server (adding a migration never connects).
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresVigilDbContext>
{
    public PostgresVigilDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresVigilDbContext>();
        PostgresStorage.Configure(options, "Host=localhost;Database=vigil_design");
        return new PostgresVigilDbContext(options.Options);
    }
}
