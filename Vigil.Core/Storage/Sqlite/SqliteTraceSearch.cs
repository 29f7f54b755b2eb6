using Microsoft.EntityFrameworkCore;
using Vigil.Core.Traces;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>Substring search with LIKE (case-insensitive for ASCII) over trace name, span names, input and output.</summary>
internal sealed class SqliteTraceSearch : ITraceSearch
{
    public IQueryable<TraceRecord> Matching(VigilDbContext db, IQueryable<TraceRecord> traces, string projectId, string text)
    {
        var pattern = Like.Contains(text);
        return traces.Where(t => EF.Functions.Like(t.Name!, pattern, Like.Escape)
            || db.Spans.Any(s => s.TracePk == t.Id
                && (EF.Functions.Like(s.Input!, pattern, Like.Escape) || EF.Functions.Like(s.Output!, pattern, Like.Escape) || EF.Functions.Like(s.Name, pattern, Like.Escape))));
    }
}
