using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MetricRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "deleting_since_us",
                table: "projects",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "deleting_traces_total",
                table: "projects",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "retention_days",
                table: "projects",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "retention_max_spans",
                table: "projects",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "metric_rollups",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    bucket_seconds = table.Column<int>(type: "integer", nullable: false),
                    bucket_start_us = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    span_count = table.Column<long>(type: "bigint", nullable: false),
                    error_count = table.Column<long>(type: "bigint", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost_nano_usd = table.Column<long>(type: "bigint", nullable: false),
                    latency_count = table.Column<long>(type: "bigint", nullable: false),
                    latency_sum_us = table.Column<long>(type: "bigint", nullable: false),
                    latency_sketch = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_rollups", x => new { x.project_id, x.bucket_seconds, x.bucket_start_us, x.kind, x.model, x.shard });
                    table.ForeignKey(
                        name: "fk_metric_rollups_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_counts",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    traces = table.Column<long>(type: "bigint", nullable: false),
                    spans = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_counts", x => new { x.project_id, x.shard });
                    table.ForeignKey(
                        name: "fk_project_counts_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_traces_project_id_errors_start_time_us",
                table: "traces",
                columns: new[] { "project_id", "start_time_us" },
                filter: "error_count > 0");

            migrationBuilder.CreateIndex(
                name: "ix_traces_project_id_name_id",
                table: "traces",
                columns: new[] { "project_id", "name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_traces_project_id_span_count_id",
                table: "traces",
                columns: new[] { "project_id", "span_count", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_rollups");

            migrationBuilder.DropTable(
                name: "project_counts");

            migrationBuilder.DropIndex(
                name: "ix_traces_project_id_errors_start_time_us",
                table: "traces");

            migrationBuilder.DropIndex(
                name: "ix_traces_project_id_name_id",
                table: "traces");

            migrationBuilder.DropIndex(
                name: "ix_traces_project_id_span_count_id",
                table: "traces");

            migrationBuilder.DropColumn(
                name: "deleting_since_us",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "deleting_traces_total",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "retention_days",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "retention_max_spans",
                table: "projects");
        }
    }
}
