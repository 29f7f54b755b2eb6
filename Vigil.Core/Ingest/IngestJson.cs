using System.Text.Json;

namespace Vigil.Core.Ingest;

/// <summary>Parses an ingest body as JSON under the configured depth limit, with errors that name the limit.</summary>
public static class IngestJson
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> body, IngestOptions limits)
    {
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
}
