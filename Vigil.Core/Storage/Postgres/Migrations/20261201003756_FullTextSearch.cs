using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Postgres.Migrations
{
    /// <summary>
    /// Full-text search through pg_trgm (a contrib extension, "trusted" since PostgreSQL 13: a database owner may create
    /// it) GIN indexes: one over each span's name, input and output text (the expression of <c>PostgresTraceSearch.SpanText</c>),
    /// one each over trace names and models, for ILIKE substrings of 3+ characters.
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql($"CREATE INDEX ix_spans_search_trgm ON spans USING gin ({PostgresTraceSearch.SpanText} gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_traces_name_trgm ON traces USING gin (name gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_traces_models_trgm ON traces USING gin (models gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_spans_search_trgm;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_traces_name_trgm;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_traces_models_trgm;");
        }
    }
}
