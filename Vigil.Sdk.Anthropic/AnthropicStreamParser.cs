using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Sdk.Integrations;

/// <summary>A streamed message: <c>message_start</c> (model, input tokens), <c>content_block_delta</c> text, <c>message_delta</c> (stop reason, output tokens).</summary>
internal sealed class AnthropicStreamParser : LlmStreamParser
{
    private readonly StringBuilder _content = new();
    private string? _model, _finish;
    private long? _inTokens, _outTokens;

    public override string? OnEvent(JsonElement ev)
    {
        switch (LlmRecord.Str(ev, "type"))
        {
            case "message_start" when ev.TryGetProperty("message", out var message):
                _model = LlmRecord.Str(message, "model") ?? _model;
                if (message.TryGetProperty("usage", out var u)) _inTokens = LlmRecord.Long(u, "input_tokens") ?? _inTokens;
                break;
            case "content_block_delta" when ev.TryGetProperty("delta", out var delta):
                if (LlmRecord.Str(delta, "text") is { Length: > 0 } text)
                {
                    _content.Append(text);
                    return text;
                }
                break;
            case "message_delta":
                if (ev.TryGetProperty("delta", out var d)) _finish = LlmRecord.Str(d, "stop_reason") ?? _finish;
                if (ev.TryGetProperty("usage", out var usage))
                {
                    _outTokens = LlmRecord.Long(usage, "output_tokens") ?? _outTokens;
                    _inTokens = LlmRecord.Long(usage, "input_tokens") ?? _inTokens;
                }
                break;
        }
        return null;
    }

    public override JsonObject Output() => LlmRecord.Output(_content.ToString(), _model, _finish, _inTokens, _outTokens);
}
