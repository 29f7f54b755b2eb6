namespace Vigil.Core.Storage;

/// <summary>
/// The trace list's text filters through the provider's text index: <c>q</c> (case-insensitive substring of the trace
/// name, span names, inputs and outputs; SQLite FTS5 trigram, PostgreSQL pg_trgm GIN), and substrings of the trace name
/// or models. Indexes answer substrings of 3 characters or more; shorter text is for the caller to scan.
/// </summary>
public interface ITraceSearch
{
    /// <summary>
    /// The ids (row ids) of the project's traces that match <paramref name="text"/> in the way of <c>q</c>, when there
    /// are at most <paramref name="limit"/>. Null when more match (verified); when the text is too common for the index to
    /// list cheaply, null as soon as more than <paramref name="commonAbove"/> match (verified, so the caller can report
    /// that many as a lower bound); and when the index cannot tell (text under 3 characters). The caller then walks the
    /// list in its order and asks <see cref="MatchingAsync"/> about each chunk.
    /// </summary>
    Task<IReadOnlyCollection<long>?> FindAsync(VigilDbContext db, string projectId, string text, int limit, int commonAbove, CancellationToken ct);

    /// <summary>Which of <paramref name="tracePks"/> (the project's traces) match <paramref name="text"/> in the way of <c>q</c>.</summary>
    Task<HashSet<long>> MatchingAsync(VigilDbContext db, string projectId, string text, IReadOnlyCollection<long> tracePks, CancellationToken ct);

    /// <summary>
    /// A superset of the project's traces whose <paramref name="field"/> contains <paramref name="text"/>
    /// (case-insensitively), when it has at most <paramref name="limit"/> ids; else no ids, and whether more matched
    /// (<see cref="FieldHits.Overflowed"/>) or the index cannot tell (under 3 characters).
    /// </summary>
    Task<FieldHits> FindByFieldAsync(VigilDbContext db, string projectId, TraceTextField field, string text, int limit, CancellationToken ct);

    /// <summary>
    /// Brings the index up to date for spans whose input or output changed outside the ingest writer (log records folded
    /// into their spans), in the caller's transaction on <paramref name="db"/>.
    /// </summary>
    Task ReindexSpansAsync(VigilDbContext db, IReadOnlyCollection<long> spanIds, CancellationToken ct);
}

/// <summary>What <see cref="ITraceSearch.FindByFieldAsync"/> found: the ids, or none because more than the limit matched.</summary>
public readonly record struct FieldHits(IReadOnlyCollection<long>? Ids, bool Overflowed)
{
    public static FieldHits Unknown => new(null, false);

    public static FieldHits Of(HashSet<long> found, int limit) => found.Count > limit ? new(null, true) : new(found, false);
}

/// <summary>The trace columns with a substring filter of their own.</summary>
public enum TraceTextField { Name, Models }
