using Google.Protobuf;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// OTLP trace and span ids: 16 and 8 bytes on the protobuf wire, hex strings in OTLP/JSON (not base64, unlike
/// the generic protobuf JSON mapping). Vigil stores them as lower-case hex so both encodings land on the same rows.
/// </summary>
public static class OtlpIds
{
    public const int TraceIdBytes = 16;
    public const int SpanIdBytes = 8;

    /// <summary>Lower-case hex of an id, or null when it is not <paramref name="length"/> bytes or all zero (invalid per the spec).</summary>
    public static string? ToHex(ByteString id, int length)
    {
        var bytes = id.Span;
        if (bytes.Length != length || !bytes.ContainsAnyExcept((byte)0)) return null;
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// Decodes an OTLP/JSON hex id. Anything that is not valid hex becomes an empty id, which the mapper then reports
    /// as invalid for that span only (rather than failing the whole request).
    /// </summary>
    public static ByteString FromHex(string? hex)
    {
        if (string.IsNullOrEmpty(hex) || (hex.Length & 1) != 0) return ByteString.Empty;
        var bytes = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length
            ? UnsafeByteOperations.UnsafeWrap(bytes)
            : ByteString.Empty;
    }
}
