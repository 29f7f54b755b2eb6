namespace Vigil.Sdk.Tracing;

/// <summary>Random ids kept as integers on the hot path and formatted only when serialized.</summary>
internal static class Ids
{
    // SplitMix64 on a per-thread state seeded from Random.Shared: a thread-static add and three multiply/xor-shifts,
    // where Random.Shared.NextInt64(min, max) cost a thread-local lookup, a virtual call and a range reduction
    // per id (three per root span). Ids need to be unique, not unpredictable.
    [ThreadStatic] private static ulong t_state;

    public static ulong NewSpanId()
    {
        var state = t_state;
        if (state == 0) state = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        ulong id;
        do
        {
            state += 0x9E3779B97F4A7C15UL;
            id = state;
            id = (id ^ (id >> 30)) * 0xBF58476D1CE4E5B9UL;
            id = (id ^ (id >> 27)) * 0x94D049BB133111EBUL;
            id ^= id >> 31;
        } while (id == 0);
        t_state = state;
        return id;
    }

    public static string FormatTraceId(ulong high, ulong low) => string.Create(32, (high, low), static (span, ids) =>
    {
        WriteHex(ids.Item1, span);
        WriteHex(ids.Item2, span[16..]);
    });

    public static string Format(ulong id) => string.Create(16, id, static (span, value) => WriteHex(value, span));

    // A nibble loop: ulong.TryFormat with "x16" parses the format string every call and showed up as the
    // exporter thread's top frame. Callers pass at least 16 elements.
    public static void WriteHex(ulong id, Span<char> destination)
    {
        const string digits = "0123456789abcdef";
        for (var i = 15; i >= 0; i--, id >>= 4) destination[i] = digits[(int)(id & 0xF)];
    }

    /// <summary>As <see cref="WriteHex(ulong, Span{char})"/>, straight to UTF-8 for the JSON writer.</summary>
    public static void WriteHex(ulong id, Span<byte> destination)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 15; i >= 0; i--, id >>= 4) destination[i] = digits[(int)(id & 0xF)];
    }
}
