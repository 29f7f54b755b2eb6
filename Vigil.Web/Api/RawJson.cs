using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Web.Api;

/// <summary>
/// JSON text stored as-is (span input, output, metadata). Written to responses verbatim, so a payload is never
/// parsed and re-serialized on the read path.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Text)
{
    public static RawJson? From(string? text) => text is null ? null : new RawJson(text);
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return new RawJson(doc.RootElement.GetRawText());
    }

    // The text was validated as JSON at ingest; skip re-validation on the hot read path.
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}
