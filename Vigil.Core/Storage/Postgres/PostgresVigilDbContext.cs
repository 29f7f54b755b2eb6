using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Replay;
using Vigil.Core.Traces;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// The PostgreSQL context: its own type so its migrations (<c>Storage/Postgres/Migrations</c>) are its own. The model is
/// the shared one; JSON payloads are <c>jsonb</c> here. Timestamps stay integer Unix microseconds (<c>bigint</c>) as on
/// SQLite, so the same SQL and indexes serve both providers and nothing converts between time zones.
/// </summary>
public sealed class PostgresVigilDbContext(DbContextOptions<PostgresVigilDbContext> options) : VigilDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.HasDbFunction(TextFunctions.LowerMethod).HasName("lower").IsBuiltIn();
        b.Entity<SpanRecord>(e =>
        {
            e.Property(s => s.Input).HasColumnType("jsonb");
            e.Property(s => s.Output).HasColumnType("jsonb");
            e.Property(s => s.Metadata).HasColumnType("jsonb");
            e.Property(s => s.Events).HasColumnType("jsonb");
        });
        b.Entity<TraceRecord>().Property(t => t.Metadata).HasColumnType("jsonb");
        b.Entity<ReplayRun>(e =>
        {
            e.Property(r => r.Mutations).HasColumnType("jsonb");
            e.Property(r => r.Config).HasColumnType("jsonb");
            e.Property(r => r.Diffs).HasColumnType("jsonb");
        });
        b.Entity<DriftAlert>().Property(a => a.Histogram).HasColumnType("jsonb");
    }
}
