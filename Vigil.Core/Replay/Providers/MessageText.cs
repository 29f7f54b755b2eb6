using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Core.Replay.Providers;

/// <summary>Reads the text out of message content that is either a string or an array of content blocks.</summary>
public static class MessageText
{
    public static string? Of(JsonNode? content) => content switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray blocks => string.Concat(blocks.OfType<JsonObject>()
            .Select(b => b["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "")),
        _ => null,
    };
}
