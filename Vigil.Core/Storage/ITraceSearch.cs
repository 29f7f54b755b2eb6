using Vigil.Core.Traces;

namespace Vigil.Core.Storage;

/// <summary>The trace list's full-text filter <c>q</c>: trace name, span names, span input and output.</summary>
public interface ITraceSearch
{
    /// <summary>Narrows <paramref name="traces"/> (already scoped to <paramref name="projectId"/>) to those matching <paramref name="text"/>.</summary>
    IQueryable<TraceRecord> Matching(VigilDbContext db, IQueryable<TraceRecord> traces, string projectId, string text);
}
