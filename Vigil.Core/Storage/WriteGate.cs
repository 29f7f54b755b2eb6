namespace Vigil.Core.Storage;

/// <summary>
/// Serializes write transactions in-process. SQLite has one writer at a time; queueing here is cheaper and fairer
/// than letting transactions spin on SQLITE_BUSY. On PostgreSQL the gate admits several writers.
/// </summary>
public sealed class WriteGate(int concurrency)
{
    private readonly SemaphoreSlim _semaphore = new(concurrency, concurrency);

    public async ValueTask<Releaser> EnterAsync(CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    public readonly struct Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
