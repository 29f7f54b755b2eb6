namespace Vigil.Core.Metrics;

/// <summary>Zigzag LEB128 varints: small signed integers in one or two bytes.</summary>
internal static class Varint
{
    public const int MaxBytes = 10;

    public static int WriteSigned(Span<byte> buffer, int pos, long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        while (v >= 0x80)
        {
            buffer[pos++] = (byte)(v | 0x80);
            v >>= 7;
        }
        buffer[pos++] = (byte)v;
        return pos;
    }

    public static long ReadSigned(ReadOnlySpan<byte> buffer, ref int pos)
    {
        ulong v = 0;
        var shift = 0;
        while (true)
        {
            if (pos >= buffer.Length || shift > 63) throw new FormatException("A latency sketch is truncated or corrupt.");
            var b = buffer[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
            shift += 7;
        }
        return (long)(v >> 1) ^ -(long)(v & 1);
    }
}
