using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RootSpanIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id",
                table: "spans");

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id_start_time_us",
                table: "spans",
                columns: new[] { "project_id", "trace_id", "parent_span_id", "start_time_us" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id_start_time_us",
                table: "spans");

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id",
                table: "spans",
                columns: new[] { "project_id", "trace_id", "parent_span_id" });
        }
    }
}
