using Microsoft.Extensions.Logging;

namespace Vigil.Core.Storage;

/// <summary>
/// Whether the database takes writes, as the writers last saw it: a fault is recorded when a write fails with one
/// (<see cref="IStorageFaults"/>) and cleared by the next write that succeeds. Readiness asks <see cref="CheckAsync"/>,
/// which, while a fault is recorded, probes with a write of its own: so the server reports itself ready again as soon
/// as the fault clears, with or without traffic.
/// </summary>
public sealed class StorageHealth(IStorageFaults faults, ILogger<StorageHealth> logger)
{
    private volatile StorageFault? _fault;

    /// <summary>The fault writes last failed with, or null.</summary>
    public StorageFault? Fault => _fault;

    /// <summary>The fault behind <paramref name="exception"/>, recorded; null when it is no storage fault.</summary>
    public StorageFault? Record(Exception exception)
    {
        if (faults.Classify(exception) is not { } fault) return null;
        if (_fault is null) logger.LogError(exception, "The database cannot take writes: {Fault}; answering 503 until it can", fault.Summary);
        _fault = fault;
        return fault;
    }

    /// <summary>A write succeeded: any recorded fault is over.</summary>
    public void WriteSucceeded()
    {
        if (_fault is null) return;
        _fault = null;
        logger.LogInformation("The database takes writes again");
    }

    /// <summary>Null when the database takes writes (probing while a fault is recorded), else the fault.</summary>
    public async Task<StorageFault?> CheckAsync(CancellationToken ct)
    {
        if (_fault is null) return null;
        var probed = await faults.ProbeWriteAsync(ct);
        if (probed is null) WriteSucceeded();
        else _fault = probed;
        return probed;
    }
}
