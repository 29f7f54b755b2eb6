using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// Builds the replayable input/output shape the server reads:
/// input <c>{model, messages:[{role, content}], temperature, max_tokens, top_p, stop, tools}</c>,
/// output <c>{content, model, finish_reason, usage:{prompt_tokens, completion_tokens, total_tokens}}</c>.
/// </summary>
internal static class LlmRecord
{
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

    /// <summary>OpenAI chat/completions request body → replayable input.</summary>
    public static JsonObject FromOpenAIRequest(JsonElement root)
    {
        var input = new JsonObject { ["model"] = Str(root, "model") };
        var messages = new JsonArray();
        if (root.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in msgs.EnumerateArray())
            {
                var message = new JsonObject { ["role"] = Str(m, "role"), ["content"] = FlattenContent(m, "content") };
                CopyIfPresent(m, message, "name");
                CopyIfPresent(m, message, "tool_calls");
                CopyIfPresent(m, message, "tool_call_id");
                messages.Add(message);
            }
        }
        input["messages"] = messages;
        CopyIfPresent(root, input, "temperature");
        if (!CopyIfPresent(root, input, "max_tokens")) CopyIfPresent(root, input, "max_completion_tokens", "max_tokens");
        CopyIfPresent(root, input, "top_p");
        CopyIfPresent(root, input, "stop");
        CopyIfPresent(root, input, "tools");
        return input;
    }

    /// <summary>Anthropic /v1/messages request body → replayable input (system prompt as the first message).</summary>
    public static JsonObject FromAnthropicRequest(JsonElement root)
    {
        var input = new JsonObject { ["model"] = Str(root, "model") };
        var messages = new JsonArray();
        if (root.TryGetProperty("system", out var system) && system.ValueKind is JsonValueKind.String or JsonValueKind.Array)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = FlattenContent(root, "system") });
        }
        if (root.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in msgs.EnumerateArray())
            {
                messages.Add(new JsonObject { ["role"] = Str(m, "role"), ["content"] = FlattenContent(m, "content") });
            }
        }
        input["messages"] = messages;
        CopyIfPresent(root, input, "temperature");
        CopyIfPresent(root, input, "max_tokens");
        CopyIfPresent(root, input, "top_p");
        CopyIfPresent(root, input, "stop_sequences", "stop");
        CopyIfPresent(root, input, "tools");
        return input;
    }

    public static JsonObject FromOpenAIResponse(JsonElement root)
    {
        string? content = null, finish = null;
        JsonNode? toolCalls = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            finish = Str(choice, "finish_reason");
            if (choice.TryGetProperty("message", out var message))
            {
                content = FlattenContent(message, "content");
                if (message.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array) toolCalls = JsonNode.Parse(tc.GetRawText());
            }
        }
        long? prompt = null, completion = null, total = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            prompt = Long(usage, "prompt_tokens");
            completion = Long(usage, "completion_tokens");
            total = Long(usage, "total_tokens");
        }
        return Output(content, Str(root, "model"), finish, prompt, completion, total, toolCalls);
    }

    public static JsonObject FromAnthropicResponse(JsonElement root)
    {
        var text = new StringBuilder();
        JsonArray? toolCalls = null;
        if (root.TryGetProperty("content", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                var type = Str(block, "type");
                if (type == "text") text.Append(Str(block, "text"));
                else if (type == "tool_use")
                {
                    (toolCalls ??= []).Add(new JsonObject
                    {
                        ["id"] = Str(block, "id"),
                        ["name"] = Str(block, "name"),
                        ["input"] = block.TryGetProperty("input", out var i) ? JsonNode.Parse(i.GetRawText()) : null,
                    });
                }
            }
        }
        long? inTokens = null, outTokens = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            inTokens = Long(usage, "input_tokens");
            outTokens = Long(usage, "output_tokens");
        }
        return Output(text.ToString(), Str(root, "model"), Str(root, "stop_reason"), inTokens, outTokens, null, toolCalls);
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

    public static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long? Long(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

    private static bool CopyIfPresent(JsonElement from, JsonObject to, string name, string? as_ = null)
    {
        if (from.ValueKind != JsonValueKind.Object || !from.TryGetProperty(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return false;
        to[as_ ?? name] = JsonNode.Parse(v.GetRawText());
        return true;
    }
}
