using Vigil.Core.Ingest;

namespace Vigil.Core.Storage;

/// <summary>
/// The provider's ingest write path (the hottest loop of the server). <see cref="IngestPipeline"/> owns the queue and
/// group commit; the store owns connections, statements and SQL.
/// </summary>
internal interface IIngestStore
{
    /// <summary>How many writers may run at once: 1 where the database has a single writer (SQLite).</summary>
    int Writers { get; }

    /// <summary>
    /// A writer with its own connection, kept open across groups until disposed. <paramref name="slot"/> is the writer loop's
    /// number (0 ≤ slot &lt; <see cref="Writers"/>): writers that run at once add their rollups into different rows.
    /// </summary>
    IIngestWriter OpenWriter(int slot);
}

/// <summary>One writer connection. Not thread-safe; one group at a time.</summary>
internal interface IIngestWriter : IAsyncDisposable
{
    /// <summary>
    /// Writes every job of the group in ONE transaction and answers each job's result, in job order, after the commit.
    /// Throws when the transaction failed (then nothing of the group is written, and the writer must be disposed).
    /// </summary>
    ValueTask<WriteResult[]> WriteAsync(IReadOnlyList<WriteJob> group, CancellationToken ct);
}
