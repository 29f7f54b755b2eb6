using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// Full-text search through FTS5 trigram tables, kept by triggers in the same transaction as the rows they index (a 201
    /// means searchable): <c>spans_fts</c> holds each span's name, input and output (joined by U+001F), <c>traces_fts</c>
    /// each trace's name and models. Contentless (the text stays only in the rows; <c>contentless_delete</c> lets a row be
    /// removed by id), <c>detail=none</c> for spans (which rows hold a trigram, not where: a quarter of the size and half the
    /// ingest cost of positions; hits are verified with LIKE), <c>detail=column</c> for traces (column filters). Existing rows
    /// are indexed here, once. EF Core does not know these tables: a migration that rebuilds <c>spans</c> or <c>traces</c>
    /// must recreate the triggers (FullTextSearchTests checks they work after every migration).
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        private const string SpanText = "{0}.name || char(31) || coalesce({0}.input, '') || char(31) || coalesce({0}.output, '')";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE VIRTUAL TABLE spans_fts USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1, detail = none);");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE traces_fts USING fts5(name, models, tokenize = 'trigram', content = '', contentless_delete = 1, detail = column);");
            migrationBuilder.Sql($"""
                CREATE TRIGGER spans_fts_insert AFTER INSERT ON spans BEGIN
                    INSERT INTO spans_fts (rowid, text) VALUES (new.id, {string.Format(SpanText, "new")});
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER spans_fts_update AFTER UPDATE OF name, input, output ON spans
                WHEN old.name IS NOT new.name OR old.input IS NOT new.input OR old.output IS NOT new.output BEGIN
                    DELETE FROM spans_fts WHERE rowid = old.id;
                    INSERT INTO spans_fts (rowid, text) VALUES (new.id, {string.Format(SpanText, "new")});
                END;
                """);
            migrationBuilder.Sql("CREATE TRIGGER spans_fts_delete AFTER DELETE ON spans BEGIN DELETE FROM spans_fts WHERE rowid = old.id; END;");
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
            migrationBuilder.Sql("CREATE TRIGGER traces_fts_delete AFTER DELETE ON traces BEGIN DELETE FROM traces_fts WHERE rowid = old.id; END;");
            migrationBuilder.Sql($"INSERT INTO spans_fts (rowid, text) SELECT id, {string.Format(SpanText, "spans")} FROM spans;");
            migrationBuilder.Sql("INSERT INTO traces_fts (rowid, name, models) SELECT id, coalesce(name, ''), coalesce(models, '') FROM traces;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "spans_fts_insert", "spans_fts_update", "spans_fts_delete", "traces_fts_insert", "traces_fts_update", "traces_fts_delete" })
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            migrationBuilder.Sql("DROP TABLE IF EXISTS spans_fts;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS traces_fts;");
        }
    }
}
