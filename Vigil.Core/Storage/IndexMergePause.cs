namespace Vigil.Core.Storage;

/// <summary>
/// Holds off the background merges of the text index while the history deleter runs: its batches and its own compaction
/// of the index already take turns with ingest at the write gate, and a third party in that queue doubled ingest's p99
/// during a retention run at 1M spans.
/// </summary>
public sealed class IndexMergePause
{
    private int _holders;

    public bool IsPaused => Volatile.Read(ref _holders) > 0;

    /// <summary>Pauses the merges until the returned handle is disposed (holds nest).</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _holders);
        return new Release(this);
    }

    private sealed class Release(IndexMergePause pause) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref pause._holders);
        }
    }
}
