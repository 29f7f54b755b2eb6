using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_traces_project_id_cost_usd",
                table: "traces",
                columns: new[] { "project_id", "cost_usd" });

            migrationBuilder.CreateIndex(
                name: "IX_traces_project_id_duration_ms",
                table: "traces",
                columns: new[] { "project_id", "duration_ms" });

            migrationBuilder.CreateIndex(
                name: "IX_traces_project_id_status_start_time_us",
                table: "traces",
                columns: new[] { "project_id", "status", "start_time_us" });

            // Sort by total tokens orders by an expression; EF cannot model expression indexes, so it is raw SQL
            // (valid on SQLite and PostgreSQL alike).
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS \"IX_traces_project_id_total_tokens\" ON \"traces\" (\"project_id\", (\"input_tokens\" + \"output_tokens\"));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_traces_project_id_total_tokens\";");

            migrationBuilder.DropIndex(
                name: "IX_traces_project_id_cost_usd",
                table: "traces");

            migrationBuilder.DropIndex(
                name: "IX_traces_project_id_duration_ms",
                table: "traces");

            migrationBuilder.DropIndex(
                name: "IX_traces_project_id_status_start_time_us",
                table: "traces");
        }
    }
}
