using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Sqlite.Migrations
{
    /// <summary>
    /// Switches off FTS5's merges inside the writing transaction ('automerge' 0, stored in the text tables' config tables):
    /// the index's segments are merged in the background instead, in short steps under the write gate
    /// (<c>SqliteIndexMerger</c>). As the index grew, the commit that completed a level merged it in the ingest
    /// transaction: 0.9–1.3 s for one commit in a few hundred at 2,500 spans/s, and about a second per insert while the
    /// retention job's compaction merge was in progress (FTS5 continues a merge in progress first).
    /// </summary>
    public partial class FtsBackgroundMerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO spans_fts (spans_fts, rank) VALUES ('automerge', 0);");
            migrationBuilder.Sql("INSERT INTO traces_fts (traces_fts, rank) VALUES ('automerge', 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO spans_fts (spans_fts, rank) VALUES ('automerge', 4);");
            migrationBuilder.Sql("INSERT INTO traces_fts (traces_fts, rank) VALUES ('automerge', 4);");
        }
    }
}
