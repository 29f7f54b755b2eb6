using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpanTracePk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "trace_pk",
                table: "spans",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Spans already stored point at their trace's row id before SpanTraceKey keys the span indexes on it.
            migrationBuilder.Sql(
                "UPDATE spans SET trace_pk = (SELECT t.id FROM traces t WHERE t.project_id = spans.project_id AND t.trace_id = spans.trace_id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_pk",
                table: "spans");
        }
    }
}
