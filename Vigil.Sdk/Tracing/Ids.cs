namespace Vigil.Sdk.Tracing;

/// <summary>Random ids kept as integers on the hot path and formatted only when serialized.</summary>
internal static class Ids
{
    public static ulong NewSpanId()
    {
        ulong id;
        do { id = (ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue); } while (id == 0);
        return id;
    }

    public static string FormatTraceId(ulong high, ulong low) => string.Create(32, (high, low), static (span, ids) =>
    {
        ids.Item1.TryFormat(span, out _, "x16");
        ids.Item2.TryFormat(span[16..], out _, "x16");
    });

    public static string Format(ulong id) => id.ToString("x16");

    public static bool TryFormat(ulong id, Span<char> destination) => id.TryFormat(destination, out _, "x16");
}
