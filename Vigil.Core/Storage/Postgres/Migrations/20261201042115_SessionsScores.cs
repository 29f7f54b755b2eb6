using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Vigil.Core.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SessionsScores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "session_id",
                table: "traces",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "user_id",
                table: "traces",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "score_name",
                table: "monitors",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "metric",
                table: "drift_measurements",
                type: "character varying(256)",
                maxLength: 256,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "metric",
                table: "drift_alerts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.CreateTable(
                name: "end_users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    user_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    trace_count = table.Column<int>(type: "integer", nullable: false),
                    session_count = table.Column<int>(type: "integer", nullable: false),
                    error_trace_count = table.Column<int>(type: "integer", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    total_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost_usd = table.Column<double>(type: "double precision", nullable: false),
                    first_time_us = table.Column<long>(type: "bigint", nullable: false),
                    last_time_us = table.Column<long>(type: "bigint", nullable: false),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false),
                    updated_at_us = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_end_users", x => x.id);
                    table.UniqueConstraint("ak_end_users_project_id_user_id", x => new { x.project_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_end_users_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scores",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    trace_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    span_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    data_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: true),
                    string_value = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    comment = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    author = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scores", x => x.id);
                    table.ForeignKey(
                        name: "fk_scores_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "session_users",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    session_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    user_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    trace_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_users", x => new { x.project_id, x.session_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_session_users_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    session_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    trace_count = table.Column<int>(type: "integer", nullable: false),
                    error_count = table.Column<int>(type: "integer", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    total_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost_usd = table.Column<double>(type: "double precision", nullable: false),
                    first_time_us = table.Column<long>(type: "bigint", nullable: false),
                    last_time_us = table.Column<long>(type: "bigint", nullable: false),
                    created_at_us = table.Column<long>(type: "bigint", nullable: false),
                    updated_at_us = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sessions", x => x.id);
                    table.UniqueConstraint("ak_sessions_project_id_session_id", x => new { x.project_id, x.session_id });
                    table.ForeignKey(
                        name: "fk_sessions_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_traces_project_id_session_id_start_time_us",
                table: "traces",
                columns: new[] { "project_id", "session_id", "start_time_us" },
                filter: "session_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_traces_project_id_user_id_start_time_us",
                table: "traces",
                columns: new[] { "project_id", "user_id", "start_time_us" },
                filter: "user_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_end_users_project_id_cost_usd_id",
                table: "end_users",
                columns: new[] { "project_id", "cost_usd", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_end_users_project_id_error_trace_count_id",
                table: "end_users",
                columns: new[] { "project_id", "error_trace_count", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_end_users_project_id_last_time_us_id",
                table: "end_users",
                columns: new[] { "project_id", "last_time_us", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_end_users_project_id_session_count_id",
                table: "end_users",
                columns: new[] { "project_id", "session_count", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_end_users_project_id_total_tokens_id",
                table: "end_users",
                columns: new[] { "project_id", "total_tokens", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_end_users_project_id_trace_count_id",
                table: "end_users",
                columns: new[] { "project_id", "trace_count", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_scores_project_id_created_at_us",
                table: "scores",
                columns: new[] { "project_id", "created_at_us" });

            migrationBuilder.CreateIndex(
                name: "ix_scores_project_id_name_created_at_us",
                table: "scores",
                columns: new[] { "project_id", "name", "created_at_us" });

            migrationBuilder.CreateIndex(
                name: "ix_scores_project_id_name_value",
                table: "scores",
                columns: new[] { "project_id", "name", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_scores_project_id_trace_id",
                table: "scores",
                columns: new[] { "project_id", "trace_id" });

            migrationBuilder.CreateIndex(
                name: "ix_session_users_project_id_user_id_session_id",
                table: "session_users",
                columns: new[] { "project_id", "user_id", "session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_project_id_cost_usd_id",
                table: "sessions",
                columns: new[] { "project_id", "cost_usd", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_project_id_error_count_id",
                table: "sessions",
                columns: new[] { "project_id", "error_count", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_project_id_last_time_us_id",
                table: "sessions",
                columns: new[] { "project_id", "last_time_us", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_project_id_total_tokens_id",
                table: "sessions",
                columns: new[] { "project_id", "total_tokens", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_project_id_trace_count_id",
                table: "sessions",
                columns: new[] { "project_id", "trace_count", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "end_users");

            migrationBuilder.DropTable(
                name: "scores");

            migrationBuilder.DropTable(
                name: "session_users");

            migrationBuilder.DropTable(
                name: "sessions");

            migrationBuilder.DropIndex(
                name: "ix_traces_project_id_session_id_start_time_us",
                table: "traces");

            migrationBuilder.DropIndex(
                name: "ix_traces_project_id_user_id_start_time_us",
                table: "traces");

            migrationBuilder.DropColumn(
                name: "session_id",
                table: "traces");

            migrationBuilder.DropColumn(
                name: "user_id",
                table: "traces");

            migrationBuilder.DropColumn(
                name: "score_name",
                table: "monitors");

            migrationBuilder.AlterColumn<string>(
                name: "metric",
                table: "drift_measurements",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(256)",
                oldMaxLength: 256);

            migrationBuilder.AlterColumn<string>(
                name: "metric",
                table: "drift_alerts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(256)",
                oldMaxLength: 256);
        }
    }
}
