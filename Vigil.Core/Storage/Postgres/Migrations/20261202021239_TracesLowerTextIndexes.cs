using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Core.Storage.Postgres.Migrations
{
    /// <summary>
    /// The trigram indexes of trace names and models move from the columns to <c>lower(name)</c> and <c>lower(models)</c>,
    /// the expressions the trace list's name and model filters compare (<c>TextFilter.WhereContains</c>), so those filters
    /// read the index inside the list's own query. Before, the ids found through the column indexes came back as a
    /// 6,670-element array that PostgreSQL's planner answered with a scan of every trace: `model=` took 0.4 s at 1M spans.
    /// </summary>
    public partial class TracesLowerTextIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_traces_name_trgm;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_traces_models_trgm;");
            migrationBuilder.Sql("CREATE INDEX ix_traces_lower_name_trgm ON traces USING gin (lower(name) gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_traces_lower_models_trgm ON traces USING gin (lower(models) gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_traces_lower_name_trgm;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_traces_lower_models_trgm;");
            migrationBuilder.Sql("CREATE INDEX ix_traces_name_trgm ON traces USING gin (name gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_traces_models_trgm ON traces USING gin (models gin_trgm_ops);");
        }
    }
}
