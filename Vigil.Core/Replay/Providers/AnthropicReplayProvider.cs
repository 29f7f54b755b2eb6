using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Replay.Providers;

/// <summary>
/// Anthropic Messages API through the official client. The body is built as JSON and handed over raw, so recorded
/// content blocks and tools go out as recorded.
/// </summary>
public sealed class AnthropicReplayProvider(IOptions<ReplayOptions> options) : IReplayProvider
{
    /// <summary>The Messages API requires max_tokens; recorded OpenAI-style requests often omit it.</summary>
    public const long DefaultMaxTokens = 1024;

    public string Name => ProviderNames.Anthropic;

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, ProviderEndpoint endpoint, CancellationToken ct)
    {
        var o = options.Value;
        var clientOptions = new ClientOptions
        {
            ApiKey = string.IsNullOrEmpty(endpoint.ApiKey) ? "none" : endpoint.ApiKey,
            Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
            MaxRetries = o.MaxRetries,
        };
        if (!string.IsNullOrEmpty(endpoint.BaseUrl)) clientOptions.BaseUrl = endpoint.BaseUrl.TrimEnd('/');
        using var client = new AnthropicClient(clientOptions);

        var body = BuildBody(request);
        var raw = body.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));
        var parameters = MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), raw);
        Message message;
        try
        {
            message = await client.Messages.Create(parameters, ct);
        }
        catch (AnthropicApiException e)
        {
            throw new ReplayProviderException($"Anthropic answered {(int)e.StatusCode}: {e.Message}", e);
        }
        catch (AnthropicException e)
        {
            throw new ReplayProviderException($"Anthropic call failed: {e.Message}", e);
        }
        return Parse(JsonSerializer.Serialize(message));
    }

    internal static JsonObject BuildBody(LlmRequest r)
    {
        // Anthropic takes the system prompt beside the messages, not as a message.
        var systemParts = new List<string>();
        if (r.System is not null) systemParts.Add(r.System);
        var messages = new JsonArray();
        foreach (var m in r.Messages)
        {
            if (m is JsonObject mo && mo["role"]?.GetValue<string>() == "system")
            {
                if (MessageText.Of(mo["content"]) is { } text) systemParts.Add(text);
                continue;
            }
            messages.Add(m?.DeepClone());
        }
        var body = new JsonObject
        {
            ["model"] = r.Model,
            ["max_tokens"] = r.MaxTokens ?? DefaultMaxTokens,
            ["messages"] = messages,
        };
        if (systemParts.Count > 0) body["system"] = string.Join("\n\n", systemParts);
        if (r.Temperature is { } t) body["temperature"] = t;
        if (r.TopP is { } p) body["top_p"] = p;
        if (r.Stop is JsonArray stops) body["stop_sequences"] = stops.DeepClone();
        else if (r.Stop is JsonValue one) body["stop_sequences"] = new JsonArray(one.DeepClone());
        if (r.Tools is { Count: > 0 }) body["tools"] = r.Tools.DeepClone();
        return body;
    }

    internal static LlmResponse Parse(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new ReplayProviderException("Anthropic answered something that is not a JSON object.");
        var text = new List<string>();
        JsonArray? toolCalls = null;
        foreach (var block in root["content"] as JsonArray ?? [])
        {
            if (block is not JsonObject b) continue;
            switch (b["type"]?.GetValue<string>())
            {
                case "text": text.Add(b["text"]?.GetValue<string>() ?? ""); break;
                case "tool_use": (toolCalls ??= []).Add(b.DeepClone()); break;
            }
        }
        var usage = root["usage"] as JsonObject;
        long? input = usage?["input_tokens"] is JsonValue iv && iv.TryGetValue<long>(out var i) ? i : null;
        long? output = usage?["output_tokens"] is JsonValue ov && ov.TryGetValue<long>(out var n) ? n : null;
        var model = root["model"]?.GetValue<string>();
        var stop = root["stop_reason"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        var content = string.Concat(text);

        var result = new JsonObject { ["content"] = content, ["model"] = model, ["stop_reason"] = stop };
        if (toolCalls is not null) result["tool_calls"] = toolCalls.DeepClone();
        result["usage"] = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = output };
        return new LlmResponse(content, model, input, output, stop, toolCalls, result);
    }
}
