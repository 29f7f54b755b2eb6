using Microsoft.EntityFrameworkCore;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>The SQLite context: its own type so its migrations (<c>Storage/Sqlite/Migrations</c>) are its own.</summary>
public sealed class SqliteVigilDbContext(DbContextOptions<SqliteVigilDbContext> options) : VigilDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.HasDbFunction(TextFunctions.LowerMethod).HasName(SqliteTextFunctions.Lower).IsBuiltIn();
        // The name and model filters check their index candidates here (SqliteTraceSearch.FieldSql, INDEXED BY): ~60
        // traces a page against ~10 in the table. In the model so that a migration rebuilding the table keeps it.
        b.Entity<Traces.TraceRecord>().HasIndex(t => new { t.Id, t.ProjectId, t.Name, t.Models }).HasDatabaseName("ix_traces_id_text");
    }
}
