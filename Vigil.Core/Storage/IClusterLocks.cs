namespace Vigil.Core.Storage;

/// <summary>
/// Named locks that hold across every instance on the same database, for work that must run once per cluster (the drift
/// scheduler, one project's detection run). PostgreSQL: session advisory locks, released by the server when the holder's
/// connection ends (a dead instance never keeps one). SQLite serves one instance: in-process locks.
/// </summary>
public interface IClusterLocks
{
    /// <summary>The lock, or null at once when someone else holds it.</summary>
    ValueTask<ClusterLock?> TryAcquireAsync(string name, CancellationToken ct);

    /// <summary>Waits for the lock.</summary>
    ValueTask<ClusterLock> AcquireAsync(string name, CancellationToken ct);
}

/// <summary>A held lock: dispose it to release. <see cref="Lost"/> fires if the database connection holding it dies.</summary>
public sealed class ClusterLock(IAsyncDisposable handle, Func<CancellationToken>? lost = null) : IAsyncDisposable
{
    private readonly Lazy<CancellationToken> _lost = new(() => lost?.Invoke() ?? CancellationToken.None);

    /// <summary>Watching for loss costs a little (PostgreSQL: a keepalive query now and then), so it starts on first use.</summary>
    public CancellationToken Lost => _lost.Value;

    public ValueTask DisposeAsync() => handle.DisposeAsync();
}
