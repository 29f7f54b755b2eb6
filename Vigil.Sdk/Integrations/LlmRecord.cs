using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// Builds the replayable input/output shape the server reads, for <see cref="LlmWireFormat"/>s:
/// input <c>{model, messages:[{role, content}], temperature, max_tokens, top_p, stop, tools}</c>,
/// output <c>{content, model, finish_reason, usage:{prompt_tokens, completion_tokens, total_tokens}}</c>.
/// </summary>
public static class LlmRecord
{
    /// <summary>The output shape; usage only when a token count is known (the total defaults to their sum).</summary>
    public static JsonObject Output(string? content, string? model, string? finishReason, long? promptTokens, long? completionTokens,
        long? totalTokens = null, JsonNode? toolCalls = null)
    {
        var output = new JsonObject
        {
            ["content"] = content,
            ["model"] = model,
            ["finish_reason"] = finishReason,
        };
        if (toolCalls is not null) output["tool_calls"] = toolCalls;
        if (promptTokens is not null || completionTokens is not null)
        {
            output["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = totalTokens ?? (promptTokens ?? 0) + (completionTokens ?? 0),
            };
        }
        return output;
    }

    /// <summary>Message content as text: a string, or the text parts of a content array joined.</summary>
    public static string? FlattenContent(JsonElement owner, string property)
    {
        if (!owner.TryGetProperty(property, out var content)) return null;
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var sb = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String) sb.Append(part.GetString());
                    else if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) sb.Append(t.GetString());
                    else if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String) sb.Append(c.GetString());
                }
                return sb.ToString();
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            default:
                return content.GetRawText();
        }
    }

    /// <summary>A string property of an object, else null.</summary>
    public static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An integer property of an object, else null.</summary>
    public static long? Long(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

    /// <summary>Copies a non-null property (renamed to <paramref name="as_"/> when given); true when there was one.</summary>
    public static bool CopyIfPresent(JsonElement from, JsonObject to, string name, string? as_ = null)
    {
        if (from.ValueKind != JsonValueKind.Object || !from.TryGetProperty(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return false;
        to[as_ ?? name] = JsonNode.Parse(v.GetRawText());
        return true;
    }
}
