using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Core.Cluster;

/// <summary>
/// One named duty that must run on one instance of the cluster at a time (the drift scheduler; any periodic job of the
/// same kind). Holding it is holding a cluster lock (<see cref="IClusterLocks"/>: a PostgreSQL session advisory lock),
/// kept across ticks: the holder stays the leader until it stops or its database connection ends, then the first
/// instance to tick takes over. On SQLite (one instance) this instance always leads. Not thread-safe: one loop calls it.
/// </summary>
public sealed class ClusterLeader(IClusterLocks locks, string duty, ILogger logger) : IAsyncDisposable
{
    private ClusterLock? _held;

    /// <summary>True when this instance holds the duty now (taking it if no one does).</summary>
    public async ValueTask<bool> TryLeadAsync(CancellationToken ct)
    {
        if (_held is not null && !_held.Lost.IsCancellationRequested) return true;
        if (_held is not null)
        {
            logger.LogWarning("Lost the {Duty} duty (its database connection ended)", duty);
            await ReleaseAsync();
        }
        try
        {
            _held = await locks.TryAcquireAsync(duty, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not ask for the {Duty} duty", duty);
            return false;
        }
        if (_held is not null) logger.LogInformation("This instance now runs {Duty}", duty);
        return _held is not null;
    }

    public ValueTask DisposeAsync() => ReleaseAsync();

    private async ValueTask ReleaseAsync()
    {
        var held = _held;
        _held = null;
        if (held is null) return;
        try { await held.DisposeAsync(); }
        catch (Exception e) { logger.LogDebug(e, "Releasing {Duty} failed; the database frees it with the connection", duty); }
    }
}
