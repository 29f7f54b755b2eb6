using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DomainModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "anthropic_base_url",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "anthropic_key_protected",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "default_replay_models",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "drift_baseline_hours",
                table: "projects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "drift_binning",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "drift_current_hours",
                table: "projects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "drift_enabled",
                table: "projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "drift_group_by",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "drift_interval_minutes",
                table: "projects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_ai_base_url",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "open_ai_key_protected",
                table: "projects",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "drift_alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    span_kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    span_name = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    metric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    baseline_value = table.Column<double>(type: "REAL", nullable: false),
                    current_value = table.Column<double>(type: "REAL", nullable: false),
                    psi_score = table.Column<double>(type: "REAL", nullable: false),
                    severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    baseline_start_us = table.Column<long>(type: "INTEGER", nullable: false),
                    baseline_end_us = table.Column<long>(type: "INTEGER", nullable: false),
                    current_start_us = table.Column<long>(type: "INTEGER", nullable: false),
                    current_end_us = table.Column<long>(type: "INTEGER", nullable: false),
                    baseline_count = table.Column<int>(type: "INTEGER", nullable: false),
                    current_count = table.Column<int>(type: "INTEGER", nullable: false),
                    histogram = table.Column<string>(type: "TEXT", nullable: true),
                    resolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    resolved_at_us = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at_us = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_alerts", x => x.id);
                    table.ForeignKey(
                        name: "FK_drift_alerts_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "drift_measurements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    span_kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    span_name = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    metric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    psi_score = table.Column<double>(type: "REAL", nullable: false),
                    baseline_value = table.Column<double>(type: "REAL", nullable: false),
                    current_value = table.Column<double>(type: "REAL", nullable: false),
                    baseline_count = table.Column<int>(type: "INTEGER", nullable: false),
                    current_count = table.Column<int>(type: "INTEGER", nullable: false),
                    measured_at_us = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_measurements", x => x.id);
                    table.ForeignKey(
                        name: "FK_drift_measurements_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: true),
                    reference_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    read = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.id);
                    table.ForeignKey(
                        name: "FK_notifications_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "replay_runs",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    original_trace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    mutations = table.Column<string>(type: "TEXT", nullable: false),
                    config = table.Column<string>(type: "TEXT", nullable: true),
                    estimated_cost_usd = table.Column<double>(type: "REAL", nullable: false),
                    actual_cost_usd = table.Column<double>(type: "REAL", nullable: true),
                    llm_spans_count = table.Column<int>(type: "INTEGER", nullable: false),
                    completed_spans = table.Column<int>(type: "INTEGER", nullable: false),
                    result_trace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    diffs = table.Column<string>(type: "TEXT", nullable: true),
                    error_message = table.Column<string>(type: "TEXT", nullable: true),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    started_at_us = table.Column<long>(type: "INTEGER", nullable: true),
                    completed_at_us = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_replay_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_replay_runs_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_drift_alerts_project_id_resolved_created_at_us",
                table: "drift_alerts",
                columns: new[] { "project_id", "resolved", "created_at_us" });

            migrationBuilder.CreateIndex(
                name: "IX_drift_measurements_project_id_span_kind_metric_measured_at_us",
                table: "drift_measurements",
                columns: new[] { "project_id", "span_kind", "metric", "measured_at_us" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_project_id_read_created_at_us",
                table: "notifications",
                columns: new[] { "project_id", "read", "created_at_us" });

            migrationBuilder.CreateIndex(
                name: "IX_replay_runs_project_id_created_at_us",
                table: "replay_runs",
                columns: new[] { "project_id", "created_at_us" });

            migrationBuilder.CreateIndex(
                name: "IX_replay_runs_project_id_original_trace_id",
                table: "replay_runs",
                columns: new[] { "project_id", "original_trace_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "drift_alerts");

            migrationBuilder.DropTable(
                name: "drift_measurements");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "replay_runs");

            migrationBuilder.DropColumn(
                name: "anthropic_base_url",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "anthropic_key_protected",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "default_replay_models",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "drift_baseline_hours",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "drift_binning",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "drift_current_hours",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "drift_enabled",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "drift_group_by",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "drift_interval_minutes",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "open_ai_base_url",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "open_ai_key_protected",
                table: "projects");
        }
    }
}
