using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReplayLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "replay_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "cancel_requested",
                table: "replay_runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "lease_expires_at_us",
                table: "replay_runs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                table: "replay_runs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_replay_runs_status_created_at_us",
                table: "replay_runs",
                columns: new[] { "status", "created_at_us" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_replay_runs_status_created_at_us",
                table: "replay_runs");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "replay_runs");

            migrationBuilder.DropColumn(
                name: "cancel_requested",
                table: "replay_runs");

            migrationBuilder.DropColumn(
                name: "lease_expires_at_us",
                table: "replay_runs");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                table: "replay_runs");
        }
    }
}
