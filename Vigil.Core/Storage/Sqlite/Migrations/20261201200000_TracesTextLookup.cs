using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// An index of the columns the name and model filters check, keyed by the trace's row id
    /// (<c>SqliteTraceSearch.FieldSql</c>). The trigram index lists candidate traces and each is verified by LIKE; through
    /// the table that reads one page per candidate (~10 traces a page), through this index ~60 a page. Not in the EF model:
    /// PostgreSQL answers those filters from its own trigram index. Built once on upgrade (about 20 s at 2M traces).
    /// </summary>
    public partial class TracesTextLookup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_traces_id_text ON traces (id, project_id, name, models);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_traces_id_text;");
        }
    }
}
