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
    /// Decodes an OTLP/JSON id: hex per the spec. Generic protobuf JSON encoders write bytes as base64, so a value that
    /// is not hex but is base64 of an 8- or 16-byte id is accepted too (unambiguous: that is never valid hex of the same id).
    /// Anything else becomes an empty id, which the mapper then reports as invalid for that span only (rather than
    /// failing the whole request).
    /// </summary>
    public static ByteString FromHex(string? hex)
    {
        if (string.IsNullOrEmpty(hex)) return ByteString.Empty;
        if ((hex.Length & 1) == 0)
        {
            var bytes = new byte[hex.Length / 2];
            if (Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length)
                return UnsafeByteOperations.UnsafeWrap(bytes);
        }
        Span<byte> decoded = stackalloc byte[TraceIdBytes];
        return hex.Length is 12 or 24 && Convert.TryFromBase64String(hex, decoded, out var length) && length is SpanIdBytes or TraceIdBytes
            ? ByteString.CopyFrom(decoded[..length])
            : ByteString.Empty;
    }
}
