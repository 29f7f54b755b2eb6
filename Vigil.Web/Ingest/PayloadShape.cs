using System.Text.Json;

namespace Vigil.Web.Ingest;

/// <summary>Tells the JSON encodings of POST /v1/traces apart by their top-level keys, without parsing the values.</summary>
public static class PayloadShape
{
    public enum Kind { Native, OtlpJson, Unknown }

    public static Kind Detect(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1024 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Kind.Unknown;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("spans"u8)) return Kind.Native;
                if (reader.ValueTextEquals("resourceSpans"u8) || reader.ValueTextEquals("resource_spans"u8)) return Kind.OtlpJson;
                reader.Read();
                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON or text: the native parser reports it with a clear message.
        }
        return Kind.Unknown;
    }
}
