using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// Moves FTS5's crisis merge from 16 to 64 segments on a level ('crisismerge', stored in the text tables' config
    /// tables). The crisis merge runs inside the ingest commit that fills a level and merges all of it: with the
    /// background merger giving way to ingest (<c>SqliteIndexMerger</c>), the second level reached 16 and one commit in
    /// about a thousand took 1.35 s. The merger insists once the index holds more than 32 segments, well before any level
    /// holds 64, so the crisis merge is only a backstop for a merger that stopped.
    /// </summary>
    public partial class FtsCrisisMerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO spans_fts (spans_fts, rank) VALUES ('crisismerge', 64);");
            migrationBuilder.Sql("INSERT INTO traces_fts (traces_fts, rank) VALUES ('crisismerge', 64);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO spans_fts (spans_fts, rank) VALUES ('crisismerge', 16);");
            migrationBuilder.Sql("INSERT INTO traces_fts (traces_fts, rank) VALUES ('crisismerge', 16);");
        }
    }
}
