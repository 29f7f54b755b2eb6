using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpanLogs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pending_span_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    trace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    span_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    applied_at_us = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pending_span_logs", x => x.id);
                    table.ForeignKey(
                        name: "fk_pending_span_logs_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_pending_span_logs_applied_at_us",
                table: "pending_span_logs",
                column: "applied_at_us");

            migrationBuilder.CreateIndex(
                name: "ix_pending_span_logs_project_id_trace_id_span_id",
                table: "pending_span_logs",
                columns: new[] { "project_id", "trace_id", "span_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pending_span_logs_updated_at_us",
                table: "pending_span_logs",
                column: "updated_at_us");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_span_logs");
        }
    }
}
