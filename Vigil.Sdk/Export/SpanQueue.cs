using System.Numerics;
using System.Runtime.InteropServices;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Export;

/// <summary>
/// Bounded multi-producer, single-consumer ring of finished spans (the shape of OpenTelemetry's CircularBuffer).
/// A producer pays one compare-and-swap and one store: no lock, no allocation, no per-span signal. The slot array is
/// allocated once (MaxQueueSize rounded up to a power of two, so the index is a mask, not a division).
/// </summary>
internal sealed class SpanQueue
{
    // Set on the head by Close(): from then on every add fails, atomically with the last accepted one.
    private const long ClosedBit = 1L << 62;
    private readonly VigilSpan?[] _slots;
    private readonly long _mask;
    private readonly int _capacity;
    private Positions _positions;

    public SpanQueue(int capacity)
    {
        _capacity = capacity;
        _slots = new VigilSpan?[BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _mask = _slots.Length - 1;
    }

    /// <summary>Spans accepted since creation.</summary>
    public long Added => Volatile.Read(ref _positions.Head) & ~ClosedBit;

    /// <summary>Spans handed to the consumer since creation.</summary>
    public long Taken => Volatile.Read(ref _positions.Tail);

    public int Count
    {
        get
        {
            var tail = Taken;   // tail first: it never passes a head read after it
            return (int)(Added - tail);
        }
    }

    public bool IsClosed => (Volatile.Read(ref _positions.Head) & ClosedBit) != 0;

    /// <summary>False when full or closed. <paramref name="count"/> is the queue length including this span.</summary>
    public bool TryAdd(VigilSpan span, out long count)
    {
        while (true)
        {
            var head = Volatile.Read(ref _positions.Head);
            var tail = Volatile.Read(ref _positions.Tail);
            count = head - tail + 1;
            if ((head & ClosedBit) != 0 || count > _capacity) return false;
            if (Interlocked.CompareExchange(ref _positions.Head, head + 1, head) == head)
            {
                // Free: sequence head - length was consumed (head - tail < capacity <= length), and the
                // consumer clears a slot before it publishes the tail we read above.
                Volatile.Write(ref _slots[head & _mask], span);
                return true;
            }
        }
    }

    /// <summary>Single consumer only.</summary>
    public bool TryTake(out VigilSpan span)
    {
        var tail = _positions.Tail;
        if (tail >= (Volatile.Read(ref _positions.Head) & ~ClosedBit))
        {
            span = null!;
            return false;
        }
        ref var slot = ref _slots[tail & _mask];
        var spinner = default(SpinWait);
        VigilSpan? value;
        // A producer reserved this slot and is between its CAS and its store: wait for it (never sleep 1 ms).
        while ((value = Volatile.Read(ref slot)) is null) spinner.SpinOnce(sleep1Threshold: -1);
        slot = null;
        Volatile.Write(ref _positions.Tail, tail + 1);
        span = value;
        return true;
    }

    /// <summary>Refuses all further adds; what is queued stays takeable.</summary>
    public void Close() => Interlocked.Or(ref _positions.Head, ClosedBit);

    // Head is written by every producer, Tail by the consumer: separate cache lines so they do not bounce together.
    [StructLayout(LayoutKind.Explicit, Size = 3 * 64)]
    private struct Positions
    {
        [FieldOffset(64)] public long Head;
        [FieldOffset(128)] public long Tail;
    }
}
