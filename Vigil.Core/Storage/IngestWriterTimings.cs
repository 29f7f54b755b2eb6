namespace Vigil.Core.Storage;

/// <summary>
/// Where the ingest writers spend their time, per phase, summed since start (a few timestamps per group of batches, not
/// per span). Read by the ingest benchmarks (docs/benchmarks.md); nothing else depends on it.
/// </summary>
public sealed class IngestWriterTimings
{
    private long _groups, _spans;
    private readonly long[] _ticks = new long[Phases.Length];

    /// <summary>
    /// The phases in order (sessions: the session and end-user rollups; wal: SQLite's log restarts; text: SQLite's
    /// full-text index): each writer records the ones it has.
    /// </summary>
    public static readonly string[] Phases = ["traces", "spans", "rollups", "metrics", "sessions", "commit", "wal", "text"];

    /// <summary>Adds the time since <paramref name="startTimestamp"/> to a phase; answers it (in timestamp ticks).</summary>
    public long Add(int phase, long startTimestamp)
    {
        var ticks = System.Diagnostics.Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Add(ref _ticks[phase], ticks);
        return ticks;
    }

    public void Group(int spans)
    {
        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _spans, spans);
    }

    public long Groups => Interlocked.Read(ref _groups);

    public long Spans => Interlocked.Read(ref _spans);

    public TimeSpan this[int phase] => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[phase]));

    public override string ToString() =>
        $"{Groups:N0} groups, {Spans:N0} spans: " + string.Join(", ", Phases.Select((p, i) => $"{p} {this[i].TotalMicroseconds / Math.Max(1, Spans):N1} µs/span"));
}
