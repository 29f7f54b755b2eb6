using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// Switches off FTS5's delete-driven merges on the text tables ('deletemerge' 0, stored in their config tables). With
    /// <c>contentless_delete</c>, once a tenth of an index level's rows were deleted, the next deletion merged that whole
    /// level inside its own transaction: retention stalled the single writer for seconds to a minute at 1M spans. Deleted
    /// rows now stay as tombstones until the retention job compacts the index in short steps after a large deletion
    /// (<c>IHistoryStore.CompactIndexAsync</c>) or the index's ordinary merges reach them.
    /// </summary>
    public partial class FtsDeleteMerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO spans_fts (spans_fts, rank) VALUES ('deletemerge', 0);");
            migrationBuilder.Sql("INSERT INTO traces_fts (traces_fts, rank) VALUES ('deletemerge', 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO spans_fts (spans_fts, rank) VALUES ('deletemerge', 10);");
            migrationBuilder.Sql("INSERT INTO traces_fts (traces_fts, rank) VALUES ('deletemerge', 10);");
        }
    }
}
