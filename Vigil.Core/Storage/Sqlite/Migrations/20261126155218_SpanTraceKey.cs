using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpanTraceKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_spans_traces_project_id_trace_id",
                table: "spans");

            migrationBuilder.DropIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id_start_time_us",
                table: "spans");

            migrationBuilder.DropIndex(
                name: "IX_spans_project_id_trace_id_span_id",
                table: "spans");

            migrationBuilder.CreateIndex(
                name: "IX_spans_trace_pk_parent_span_id_start_time_us",
                table: "spans",
                columns: new[] { "trace_pk", "parent_span_id", "start_time_us" });

            migrationBuilder.CreateIndex(
                name: "IX_spans_trace_pk_span_id",
                table: "spans",
                columns: new[] { "trace_pk", "span_id" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_spans_traces_trace_pk",
                table: "spans",
                column: "trace_pk",
                principalTable: "traces",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_spans_traces_trace_pk",
                table: "spans");

            migrationBuilder.DropIndex(
                name: "IX_spans_trace_pk_parent_span_id_start_time_us",
                table: "spans");

            migrationBuilder.DropIndex(
                name: "IX_spans_trace_pk_span_id",
                table: "spans");

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id_start_time_us",
                table: "spans",
                columns: new[] { "project_id", "trace_id", "parent_span_id", "start_time_us" });

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_trace_id_span_id",
                table: "spans",
                columns: new[] { "project_id", "trace_id", "span_id" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_spans_traces_project_id_trace_id",
                table: "spans",
                columns: new[] { "project_id", "trace_id" },
                principalTable: "traces",
                principalColumns: new[] { "project_id", "trace_id" },
                onDelete: ReferentialAction.Cascade);
        }
    }
}
