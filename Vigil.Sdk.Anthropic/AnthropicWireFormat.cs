using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// Anthropic's Messages API (<c>POST …/v1/messages</c>): the request becomes the replayable input (the system prompt as
/// the first message), the answer (JSON or server-sent events) the output.
/// </summary>
public sealed class AnthropicWireFormat : LlmWireFormat
{
    public static AnthropicWireFormat Instance { get; } = new();

    public override string Provider => "anthropic";

    public override string SpanName => "anthropic.messages";

    public override bool IsLlmCall(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.TrimEnd('/').EndsWith("/messages", StringComparison.Ordinal) == true;

    public override LlmStreamParser CreateStreamParser() => new AnthropicStreamParser();

    /// <summary>The request body → the replayable input (the system prompt as the first message).</summary>
    public override JsonObject ReadRequest(JsonElement root)
    {
        var input = new JsonObject { ["model"] = LlmRecord.Str(root, "model") };
        var messages = new JsonArray();
        if (root.TryGetProperty("system", out var system) && system.ValueKind is JsonValueKind.String or JsonValueKind.Array)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = LlmRecord.FlattenContent(root, "system") });
        }
        if (root.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in msgs.EnumerateArray())
            {
                messages.Add(new JsonObject { ["role"] = LlmRecord.Str(m, "role"), ["content"] = LlmRecord.FlattenContent(m, "content") });
            }
        }
        input["messages"] = messages;
        LlmRecord.CopyIfPresent(root, input, "temperature");
        LlmRecord.CopyIfPresent(root, input, "max_tokens");
        LlmRecord.CopyIfPresent(root, input, "top_p");
        LlmRecord.CopyIfPresent(root, input, "stop_sequences", "stop");
        LlmRecord.CopyIfPresent(root, input, "tools");
        return input;
    }

    /// <summary>A complete answer → the output (text blocks joined, tool_use blocks as tool calls).</summary>
    public override JsonObject ReadResponse(JsonElement root)
    {
        var text = new StringBuilder();
        JsonArray? toolCalls = null;
        if (root.TryGetProperty("content", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                var type = LlmRecord.Str(block, "type");
                if (type == "text") text.Append(LlmRecord.Str(block, "text"));
                else if (type == "tool_use")
                {
                    (toolCalls ??= []).Add(new JsonObject
                    {
                        ["id"] = LlmRecord.Str(block, "id"),
                        ["name"] = LlmRecord.Str(block, "name"),
                        ["input"] = block.TryGetProperty("input", out var i) ? JsonNode.Parse(i.GetRawText()) : null,
                    });
                }
            }
        }
        long? inTokens = null, outTokens = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            inTokens = LlmRecord.Long(usage, "input_tokens");
            outTokens = LlmRecord.Long(usage, "output_tokens");
        }
        return LlmRecord.Output(text.ToString(), LlmRecord.Str(root, "model"), LlmRecord.Str(root, "stop_reason"), inTokens, outTokens, null, toolCalls);
    }
}
