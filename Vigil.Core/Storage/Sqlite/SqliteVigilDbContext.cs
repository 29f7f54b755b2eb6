using Microsoft.EntityFrameworkCore;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>The SQLite context: its own type so its migrations (<c>Storage/Sqlite/Migrations</c>) are its own.</summary>
public sealed class SqliteVigilDbContext(DbContextOptions<SqliteVigilDbContext> options) : VigilDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.HasDbFunction(TextFunctions.LowerMethod).HasName(SqliteTextFunctions.Lower).IsBuiltIn();
    }
}
