namespace Vigil.Core.Storage;

/// <summary>
/// The provider's side of deleting history (retention, project deletion): whole traces in one short write transaction, and
/// giving the space back.
/// </summary>
internal interface IHistoryStore
{
    /// <summary>
    /// One time, before migrations: prepares the database for reclaiming space (SQLite: incremental auto-vacuum, converting
    /// an existing file once).
    /// </summary>
    Task PrepareAsync(CancellationToken ct);

    /// <summary>
    /// Deletes these traces of the project (ids that are not the project's are ignored) with their spans, their full-text
    /// rows, the replay runs of or into them, and what the spans added to the metric rollups and the project counts, in ONE
    /// transaction. Answers what it deleted.
    /// </summary>
    Task<(int Traces, int Spans)> DeleteTracesAsync(string projectId, IReadOnlyList<long> tracePks, CancellationToken ct);

    /// <summary>
    /// The size of the full-text index in pages (SQLite: the FTS5 tables' data rows); 0 when the provider has nothing
    /// to compact (PostgreSQL: vacuum cleans the index).
    /// </summary>
    Task<long> IndexPagesAsync(CancellationToken ct);

    /// <summary>
    /// One step of rewriting the full-text index without the rows deleted from it, about <paramref name="pages"/> pages
    /// of work; <paramref name="first"/> starts the rewrite of the whole index, later steps continue it. Answers whether
    /// the step found work. SQLite: FTS5 keeps deleted rows as tombstones (merging them away on delete is switched off:
    /// it rewrote whole index levels inside one deletion batch, stalls of seconds to a minute).
    /// </summary>
    Task<bool> CompactIndexAsync(int pages, bool first, CancellationToken ct);

    /// <summary>
    /// Gives at most <paramref name="pages"/> pages of free space back to the file system (SQLite: an incremental vacuum
    /// step); answers how many free pages are left (0: done). PostgreSQL: autovacuum does it, always 0.
    /// </summary>
    Task<long> ReclaimAsync(int pages, CancellationToken ct);
}
