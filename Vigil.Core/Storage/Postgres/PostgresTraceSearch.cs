using Microsoft.EntityFrameworkCore;
using Vigil.Core.Traces;

namespace Vigil.Core.Storage.Postgres;

/// <summary>Case-insensitive substring search (ILIKE) over trace name, span names, input and output (their JSON text).</summary>
internal sealed class PostgresTraceSearch : ITraceSearch
{
    public IQueryable<TraceRecord> Matching(VigilDbContext db, IQueryable<TraceRecord> traces, string projectId, string text)
    {
        var pattern = Like.Contains(text);
        var spanHits = db.Database.SqlQuery<long>($"""
            SELECT trace_pk AS "Value" FROM spans
            WHERE project_id = {projectId} AND (name ILIKE {pattern} OR input::text ILIKE {pattern} OR output::text ILIKE {pattern})
            """);
        return traces.Where(t => EF.Functions.ILike(t.Name!, pattern, Like.Escape) || spanHits.Contains(t.Id));
    }
}
