namespace Vigil.Core.Storage;

/// <summary>Why the database cannot take a write right now, in provider-neutral terms.</summary>
public enum StorageFaultKind
{
    /// <summary>No space: the disk or the database's size cap is full.</summary>
    Full,
    /// <summary>Another writer holds the database (or a lock) longer than the busy timeout.</summary>
    Busy,
    /// <summary>The database is read-only (file system, permissions, a standby).</summary>
    ReadOnly,
    /// <summary>The database cannot be opened or reached.</summary>
    Unavailable,
}

/// <summary>A transient storage fault: the write failed as a whole, nothing of it was kept, and a retry may succeed later.</summary>
public sealed record StorageFault(StorageFaultKind Kind, string Description)
{
    /// <summary>How long a client should wait before retrying (the Retry-After of a 503).</summary>
    public TimeSpan RetryAfter => Kind == StorageFaultKind.Busy ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10);

    public string Summary => Kind switch
    {
        StorageFaultKind.Full => "the database is full (no space left)",
        StorageFaultKind.Busy => "the database is locked by another writer",
        StorageFaultKind.ReadOnly => "the database is read-only",
        _ => "the database cannot be reached",
    };
}
