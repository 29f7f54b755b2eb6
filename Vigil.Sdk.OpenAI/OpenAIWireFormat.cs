using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>
/// OpenAI's chat completions (<c>POST …/chat/completions</c>), also spoken by OpenAI-compatible APIs (Azure OpenAI,
/// Ollama, vLLM, gateways): the request becomes the replayable input, the answer (JSON or server-sent events) the output.
/// </summary>
public sealed class OpenAIWireFormat : LlmWireFormat
{
    public static OpenAIWireFormat Instance { get; } = new();

    public override string Provider => "openai";

    public override string SpanName => "openai.chat.completions";

    public override bool IsLlmCall(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.TrimEnd('/').EndsWith("/chat/completions", StringComparison.Ordinal) == true;

    public override LlmStreamParser CreateStreamParser() => new OpenAIStreamParser();

    /// <summary>The request body → the replayable input.</summary>
    public override JsonObject ReadRequest(JsonElement root)
    {
        var input = new JsonObject { ["model"] = LlmRecord.Str(root, "model") };
        var messages = new JsonArray();
        if (root.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in msgs.EnumerateArray())
            {
                var message = new JsonObject { ["role"] = LlmRecord.Str(m, "role"), ["content"] = LlmRecord.FlattenContent(m, "content") };
                LlmRecord.CopyIfPresent(m, message, "name");
                LlmRecord.CopyIfPresent(m, message, "tool_calls");
                LlmRecord.CopyIfPresent(m, message, "tool_call_id");
                messages.Add(message);
            }
        }
        input["messages"] = messages;
        LlmRecord.CopyIfPresent(root, input, "temperature");
        if (!LlmRecord.CopyIfPresent(root, input, "max_tokens")) LlmRecord.CopyIfPresent(root, input, "max_completion_tokens", "max_tokens");
        LlmRecord.CopyIfPresent(root, input, "top_p");
        LlmRecord.CopyIfPresent(root, input, "stop");
        LlmRecord.CopyIfPresent(root, input, "tools");
        return input;
    }

    /// <summary>A complete answer → the output (the first choice).</summary>
    public override JsonObject ReadResponse(JsonElement root)
    {
        string? content = null, finish = null;
        JsonNode? toolCalls = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            finish = LlmRecord.Str(choice, "finish_reason");
            if (choice.TryGetProperty("message", out var message))
            {
                content = LlmRecord.FlattenContent(message, "content");
                if (message.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array) toolCalls = JsonNode.Parse(tc.GetRawText());
            }
        }
        long? prompt = null, completion = null, total = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            prompt = LlmRecord.Long(usage, "prompt_tokens");
            completion = LlmRecord.Long(usage, "completion_tokens");
            total = LlmRecord.Long(usage, "total_tokens");
        }
        return LlmRecord.Output(content, LlmRecord.Str(root, "model"), finish, prompt, completion, total, toolCalls);
    }
}
