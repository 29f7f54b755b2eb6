namespace Vigil.Core.Storage;

/// <summary>
/// The provider's knowledge of its own transient write failures (SQLite: SQLITE_FULL, BUSY, READONLY; PostgreSQL: disk
/// full, lock and read-only SQL states), so services stay provider-neutral: they ask what an exception means, and whether
/// the database takes writes again.
/// </summary>
public interface IStorageFaults
{
    /// <summary>The fault an exception of the provider stands for, or null when it is not a transient storage fault.</summary>
    StorageFault? Classify(Exception exception);

    /// <summary>Tries a small write that is rolled back (and needs new space, so a full database fails it); null when it worked.</summary>
    Task<StorageFault?> ProbeWriteAsync(CancellationToken ct);
}
