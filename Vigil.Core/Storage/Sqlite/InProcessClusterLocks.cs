using System.Collections.Concurrent;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>SQLite serves one instance, so the cluster is this process: one semaphore per lock name.</summary>
internal sealed class InProcessClusterLocks : IClusterLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async ValueTask<ClusterLock?> TryAcquireAsync(string name, CancellationToken ct)
    {
        var gate = Gate(name);
        return await gate.WaitAsync(0, ct) ? Held(gate) : null;
    }

    public async ValueTask<ClusterLock> AcquireAsync(string name, CancellationToken ct)
    {
        var gate = Gate(name);
        await gate.WaitAsync(ct);
        return Held(gate);
    }

    private SemaphoreSlim Gate(string name) => _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));

    private static ClusterLock Held(SemaphoreSlim gate) => new(new Release(gate));

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
