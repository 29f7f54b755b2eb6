using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    prefix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at_us = table.Column<long>(type: "INTEGER", nullable: true),
                    last_used_at_us = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "FK_api_keys_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "traces",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    trace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    name_explicit = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    status_explicit = table.Column<bool>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    replay_of = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    start_time_us = table.Column<long>(type: "INTEGER", nullable: false),
                    end_time_us = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at_us = table.Column<long>(type: "INTEGER", nullable: false),
                    span_count = table.Column<int>(type: "INTEGER", nullable: false),
                    error_count = table.Column<int>(type: "INTEGER", nullable: false),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cost_usd = table.Column<double>(type: "REAL", nullable: false),
                    duration_ms = table.Column<double>(type: "REAL", nullable: true),
                    models = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_traces", x => x.id);
                    table.UniqueConstraint("AK_traces_project_id_trace_id", x => new { x.project_id, x.trace_id });
                    table.ForeignKey(
                        name: "FK_traces_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "spans",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<string>(type: "TEXT", nullable: false),
                    trace_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    span_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    parent_span_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    input = table.Column<string>(type: "TEXT", nullable: true),
                    output = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    events = table.Column<string>(type: "TEXT", nullable: true),
                    start_time_us = table.Column<long>(type: "INTEGER", nullable: false),
                    end_time_us = table.Column<long>(type: "INTEGER", nullable: true),
                    duration_ms = table.Column<double>(type: "REAL", nullable: true),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    provider = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: true),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: true),
                    cost_usd = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spans", x => x.id);
                    table.ForeignKey(
                        name: "FK_spans_traces_project_id_trace_id",
                        columns: x => new { x.project_id, x.trace_id },
                        principalTable: "traces",
                        principalColumns: new[] { "project_id", "trace_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_hash",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_project_id",
                table: "api_keys",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_kind_start_time_us",
                table: "spans",
                columns: new[] { "project_id", "kind", "start_time_us" });

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_start_time_us",
                table: "spans",
                columns: new[] { "project_id", "start_time_us" });

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_trace_id_parent_span_id",
                table: "spans",
                columns: new[] { "project_id", "trace_id", "parent_span_id" });

            migrationBuilder.CreateIndex(
                name: "IX_spans_project_id_trace_id_span_id",
                table: "spans",
                columns: new[] { "project_id", "trace_id", "span_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_traces_project_id_start_time_us",
                table: "traces",
                columns: new[] { "project_id", "start_time_us" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "spans");

            migrationBuilder.DropTable(
                name: "traces");

            migrationBuilder.DropTable(
                name: "projects");
        }
    }
}
