using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// An index of the columns the name and model filters check, keyed by the trace's row id
    /// (<c>SqliteTraceSearch.FieldSql</c>). The trigram index lists candidate traces and each is checked; through the
    /// table that reads one page per candidate (~10 traces a page), through this index ~60 a page. Built once on upgrade
    /// (about 20 s at 2M traces).
    /// </summary>
    public partial class TracesTextLookup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_traces_id_text",
                table: "traces",
                columns: new[] { "id", "project_id", "name", "models" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_traces_id_text",
                table: "traces");
        }
    }
}
