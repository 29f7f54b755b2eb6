using Vigil.Core.Live;

namespace Vigil.Web.Components.Live;

/// <summary>
/// The live page's model: the newest spans first, capped, with pause (new spans are held back and counted) and a
/// spans/s rate over a sliding window. Re-sent spans (start, then end) replace their earlier row.
/// </summary>
public sealed class LiveSpanBuffer(int capacity = LiveSpanBuffer.DefaultCapacity, TimeProvider? time = null)
{
    public const int DefaultCapacity = 2000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly LinkedList<SpanSummary> _spans = new();
    private readonly Dictionary<(string, string), LinkedListNode<SpanSummary>> _index = [];
    private readonly List<SpanSummary> _held = [];
    private readonly Queue<(DateTimeOffset At, int Count)> _arrivals = new();
    private readonly Lock _gate = new();

    public bool Paused { get; private set; }
    public int HeldCount { get { lock (_gate) return _held.Count; } }
    public int Count { get { lock (_gate) return _spans.Count; } }
    public int Capacity => capacity;

    public void Add(IReadOnlyList<SpanSummary> spans)
    {
        lock (_gate)
        {
            _arrivals.Enqueue((_time.GetUtcNow(), spans.Count));
            if (Paused) { _held.AddRange(spans); return; }
            foreach (var s in spans) Insert(s);
        }
    }

    public void Pause() { lock (_gate) Paused = true; }

    public void Resume()
    {
        lock (_gate)
        {
            Paused = false;
            foreach (var s in _held) Insert(s);
            _held.Clear();
        }
    }

    public void Clear()
    {
        lock (_gate) { _spans.Clear(); _index.Clear(); _held.Clear(); }
    }

    /// <summary>Spans per second over the last <paramref name="window"/> (default 5 s).</summary>
    public double Rate(TimeSpan? window = null)
    {
        var w = window ?? TimeSpan.FromSeconds(5);
        lock (_gate)
        {
            var since = _time.GetUtcNow() - w;
            while (_arrivals.Count > 0 && _arrivals.Peek().At < since) _arrivals.Dequeue();
            return _arrivals.Sum(a => a.Count) / w.TotalSeconds;
        }
    }

    /// <summary>A snapshot, newest first, filtered.</summary>
    public List<SpanSummary> Snapshot(LiveFilter filter)
    {
        lock (_gate) return _spans.Where(filter.Matches).ToList();
    }

    private void Insert(SpanSummary s)
    {
        var key = (s.TraceId, s.SpanId);
        if (_index.Remove(key, out var old)) _spans.Remove(old);
        _index[key] = _spans.AddFirst(s);
        while (_spans.Count > capacity)
        {
            var last = _spans.Last!;
            _index.Remove((last.Value.TraceId, last.Value.SpanId));
            _spans.RemoveLast();
        }
    }
}
