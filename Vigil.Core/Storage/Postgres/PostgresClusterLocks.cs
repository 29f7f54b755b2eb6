using Medallion.Threading.Postgres;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Session advisory locks (DistributedLock.Postgres): each held lock keeps one connection of its own, and PostgreSQL
/// releases it when that connection ends, so an instance that dies mid-work frees its locks at once. Names are hashed
/// to the 64-bit advisory key.
/// </summary>
internal sealed class PostgresClusterLocks(string connectionString) : IClusterLocks
{
    // A keepalive lets a long-held lock (the drift scheduler's) notice a dead connection and report it as lost.
    private readonly PostgresDistributedSynchronizationProvider _provider =
        new(connectionString, o => o.KeepaliveCadence(TimeSpan.FromSeconds(15)));

    public async ValueTask<ClusterLock?> TryAcquireAsync(string name, CancellationToken ct)
    {
        var handle = await _provider.CreateLock(Key(name)).TryAcquireAsync(TimeSpan.Zero, ct);
        return handle is null ? null : new ClusterLock(handle, () => handle.HandleLostToken);
    }

    public async ValueTask<ClusterLock> AcquireAsync(string name, CancellationToken ct)
    {
        var handle = await _provider.CreateLock(Key(name)).AcquireAsync(null, ct);
        return new ClusterLock(handle, () => handle.HandleLostToken);
    }

    private static PostgresAdvisoryLockKey Key(string name) => new(name, allowHashing: true);
}
