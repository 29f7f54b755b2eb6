using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// The ingest writer indexes span and trace text itself, last in each transaction (<c>SqliteTextIndex</c>), instead
    /// of the insert and update triggers: FTS5 flushes its pending terms to a new segment at every statement savepoint,
    /// and every upsert opens one, so every span became a segment of its own (ingest with ~1 KB texts ran at a third of
    /// the speed). The delete triggers stay. Existing rows are already indexed; nothing is rebuilt.
    /// </summary>
    public partial class TextIndexWrites : Migration
    {
        private const string SpanText = "new.name || char(31) || coalesce(new.input, '') || char(31) || coalesce(new.output, '')";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "spans_fts_insert", "spans_fts_update", "traces_fts_insert", "traces_fts_update" })
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE TRIGGER spans_fts_insert AFTER INSERT ON spans BEGIN
                    INSERT INTO spans_fts (rowid, text) VALUES (new.id, {SpanText});
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER spans_fts_update AFTER UPDATE OF name, input, output ON spans
                WHEN old.name IS NOT new.name OR old.input IS NOT new.input OR old.output IS NOT new.output BEGIN
                    DELETE FROM spans_fts WHERE rowid = old.id;
                    INSERT INTO spans_fts (rowid, text) VALUES (new.id, {SpanText});
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER traces_fts_insert AFTER INSERT ON traces BEGIN
                    INSERT INTO traces_fts (rowid, name, models) VALUES (new.id, coalesce(new.name, ''), coalesce(new.models, ''));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER traces_fts_update AFTER UPDATE OF name, models ON traces
                WHEN old.name IS NOT new.name OR old.models IS NOT new.models BEGIN
                    DELETE FROM traces_fts WHERE rowid = old.id;
                    INSERT INTO traces_fts (rowid, name, models) VALUES (new.id, coalesce(new.name, ''), coalesce(new.models, ''));
                END;
                """);
        }
    }
}
