using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Vigil.Core.Ingest;

/// <summary>
/// Parses an ingest body as JSON under the configured depth limit, with errors that name the limit. The body must be
/// valid UTF-8 (System.Text.Json checks the bytes of a string only when it is read, so without this check a bad byte
/// would surface as an exception deep inside a reader).
/// </summary>
public static class IngestJson
{
    /// <summary>
    /// How Vigil writes JSON it stores: non-ASCII text as itself, as OTLP ingest and the SDK write it and as native
    /// ingest stores it (<see cref="UnicodeText.UnescapeNonAscii"/>), so that search and case folding see the characters.
    /// </summary>
    private static readonly JsonSerializerOptions Stored = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <paramref name="node"/> as stored JSON text. The relaxed encoder still escapes characters beyond U+FFFF (emoji) as
    /// surrogate pairs, which <see cref="UnicodeText.UnescapeNonAscii"/> writes back as themselves.
    /// </summary>
    public static string ToStoredJson(System.Text.Json.Nodes.JsonNode node) => UnicodeText.UnescapeNonAscii(node.ToJsonString(Stored));

    public static JsonDocument Parse(ReadOnlyMemory<byte> body, IngestOptions limits)
    {
        if (!Utf8.IsValid(body.Span))
            throw new IngestFormatException($"The body is not valid UTF-8 (first invalid byte at offset {FirstInvalidUtf8(body.Span)}).");
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        // Only the reader's own depth error: a truncated body also mentions "depth" ("expected depth to be zero").
        catch (JsonException ex) when (ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new IngestFormatException($"JSON nesting depth exceeds the limit of {limits.MaxJsonDepth}.", "Vigil:Ingest:MaxJsonDepth");
        }
        catch (JsonException ex)
        {
            throw new IngestFormatException($"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// Runs a reader over a parsed document, turning what System.Text.Json throws for text it cannot give back as a
    /// string (an escaped lone surrogate such as <c>"\ud800"</c>: valid JSON syntax, not valid Unicode) into a 4xx.
    /// </summary>
    public static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("UTF", StringComparison.Ordinal))
        {
            throw new IngestFormatException($"The body holds a string that is not valid Unicode: {ex.Message}");
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }
}
