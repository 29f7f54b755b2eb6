using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Vigil.Core.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Alerting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_channels",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    url_protected = table.Column<string>(type: "text", nullable: false),
                    url_hint = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    secret_protected = table.Column<string>(type: "text", nullable: true),
                    severities = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    sources = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false),
                    updated_at_us = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_channels", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_channels_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "monitors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    window_minutes = table.Column<int>(type: "integer", nullable: false),
                    warning = table.Column<double>(type: "double precision", nullable: true),
                    critical = table.Column<double>(type: "double precision", nullable: true),
                    direction = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    span_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    span_name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    no_data_minutes = table.Column<int>(type: "integer", nullable: true),
                    hysteresis = table.Column<int>(type: "integer", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    state_reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    state_since_us = table.Column<long>(type: "bigint", nullable: false),
                    pending_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    pending_count = table.Column<int>(type: "integer", nullable: false),
                    last_value = table.Column<double>(type: "double precision", nullable: true),
                    last_evaluated_at_us = table.Column<long>(type: "bigint", nullable: true),
                    silenced_until_us = table.Column<long>(type: "bigint", nullable: true),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false),
                    updated_at_us = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monitors", x => x.id);
                    table.ForeignKey(
                        name: "fk_monitors_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    event_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    channel_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false),
                    dispatched_at_us = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_outbox", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_outbox_alert_channels_channel_id",
                        column: x => x.channel_id,
                        principalTable: "alert_channels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_alert_outbox_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "monitor_samples",
                columns: table => new
                {
                    monitor_id = table.Column<long>(type: "bigint", nullable: false),
                    at_us = table.Column<long>(type: "bigint", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monitor_samples", x => new { x.monitor_id, x.at_us });
                    table.ForeignKey(
                        name: "fk_monitor_samples_monitors_monitor_id",
                        column: x => x.monitor_id,
                        principalTable: "monitors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "monitor_state_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    monitor_id = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<string>(type: "text", nullable: false),
                    monitor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    from_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    to_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    value = table.Column<double>(type: "double precision", nullable: true),
                    warning = table.Column<double>(type: "double precision", nullable: true),
                    critical = table.Column<double>(type: "double precision", nullable: true),
                    direction = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    silenced = table.Column<bool>(type: "boolean", nullable: false),
                    at_us = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monitor_state_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_monitor_state_changes_monitors_monitor_id",
                        column: x => x.monitor_id,
                        principalTable: "monitors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    outbox_id = table.Column<long>(type: "bigint", nullable: false),
                    channel_id = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<string>(type: "text", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(96)", maxLength: 96, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at_us = table.Column<long>(type: "bigint", nullable: false),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false),
                    completed_at_us = table.Column<long>(type: "bigint", nullable: true),
                    last_status_code = table.Column<int>(type: "integer", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_deliveries_alert_channels_channel_id",
                        column: x => x.channel_id,
                        principalTable: "alert_channels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_alert_deliveries_alert_outbox_outbox_id",
                        column: x => x.outbox_id,
                        principalTable: "alert_outbox",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_delivery_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    channel_id = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<string>(type: "text", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    at_us = table.Column<long>(type: "bigint", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    latency_ms = table.Column<double>(type: "double precision", nullable: false),
                    error = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    next_attempt_at_us = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_delivery_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_delivery_attempts_alert_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "alert_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_channels_project_id",
                table: "alert_channels",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_alert_deliveries_channel_id_id",
                table: "alert_deliveries",
                columns: new[] { "channel_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_alert_deliveries_outbox_id_channel_id",
                table: "alert_deliveries",
                columns: new[] { "outbox_id", "channel_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_alert_deliveries_status_channel_id_id",
                table: "alert_deliveries",
                columns: new[] { "status", "channel_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_alert_delivery_attempts_channel_id_id",
                table: "alert_delivery_attempts",
                columns: new[] { "channel_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_alert_delivery_attempts_delivery_id",
                table: "alert_delivery_attempts",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_alert_outbox_channel_id",
                table: "alert_outbox",
                column: "channel_id");

            migrationBuilder.CreateIndex(
                name: "ix_alert_outbox_created_at_us",
                table: "alert_outbox",
                column: "created_at_us");

            migrationBuilder.CreateIndex(
                name: "ix_alert_outbox_dispatched_at_us",
                table: "alert_outbox",
                column: "dispatched_at_us");

            migrationBuilder.CreateIndex(
                name: "ix_alert_outbox_project_id",
                table: "alert_outbox",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_monitor_samples_at_us",
                table: "monitor_samples",
                column: "at_us");

            migrationBuilder.CreateIndex(
                name: "ix_monitor_state_changes_monitor_id_at_us",
                table: "monitor_state_changes",
                columns: new[] { "monitor_id", "at_us" });

            migrationBuilder.CreateIndex(
                name: "ix_monitor_state_changes_project_id_at_us",
                table: "monitor_state_changes",
                columns: new[] { "project_id", "at_us" });

            migrationBuilder.CreateIndex(
                name: "ix_monitors_project_id",
                table: "monitors",
                column: "project_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_delivery_attempts");

            migrationBuilder.DropTable(
                name: "monitor_samples");

            migrationBuilder.DropTable(
                name: "monitor_state_changes");

            migrationBuilder.DropTable(
                name: "alert_deliveries");

            migrationBuilder.DropTable(
                name: "monitors");

            migrationBuilder.DropTable(
                name: "alert_outbox");

            migrationBuilder.DropTable(
                name: "alert_channels");
        }
    }
}
