using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>A streamed chat completion: <c>choices[].delta.content</c> chunks, the finish reason, and usage when the stream carries it.</summary>
internal sealed class OpenAIStreamParser : LlmStreamParser
{
    private readonly StringBuilder _content = new();
    private string? _model, _finish;
    private long? _inTokens, _outTokens, _totalTokens;

    public override string? OnEvent(JsonElement chunk)
    {
        _model ??= LlmRecord.Str(chunk, "model");
        string? added = null;
        if (chunk.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta) && LlmRecord.Str(delta, "content") is { Length: > 0 } text)
                {
                    _content.Append(text);
                    added ??= text;
                }
                _finish = LlmRecord.Str(choice, "finish_reason") ?? _finish;
            }
        }
        if (chunk.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _inTokens = LlmRecord.Long(usage, "prompt_tokens");
            _outTokens = LlmRecord.Long(usage, "completion_tokens");
            _totalTokens = LlmRecord.Long(usage, "total_tokens");
        }
        return added;
    }

    public override JsonObject Output() => LlmRecord.Output(_content.ToString(), _model, _finish, _inTokens, _outTokens, _totalTokens);
}
