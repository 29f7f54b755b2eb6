using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace Vigil.Core.Replay.Providers;

/// <summary>
/// OpenAI and any OpenAI-compatible endpoint, through the official client's protocol method so that the recorded
/// messages and tools go out as recorded (the typed model would drop fields it does not know).
/// </summary>
public sealed class OpenAiReplayProvider(IOptions<ReplayOptions> options) : IReplayProvider
{
    public string Name => ProviderNames.OpenAI;

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, ProviderEndpoint endpoint, CancellationToken ct)
    {
        var o = options.Value;
        var clientOptions = new OpenAIClientOptions
        {
            NetworkTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(o.MaxRetries),
        };
        if (!string.IsNullOrEmpty(endpoint.BaseUrl)) clientOptions.Endpoint = new Uri(endpoint.BaseUrl);
        // The client refuses an empty credential; a local OpenAI-compatible server may need none.
        var client = new ChatClient(request.Model, new ApiKeyCredential(string.IsNullOrEmpty(endpoint.ApiKey) ? "none" : endpoint.ApiKey), clientOptions);

        ClientResult result;
        try
        {
            using var content = BinaryContent.Create(BinaryData.FromString(BuildBody(request).ToJsonString()));
            result = await client.CompleteChatAsync(content, new RequestOptions { CancellationToken = ct });
        }
        catch (ClientResultException e)
        {
            throw new ReplayProviderException($"OpenAI answered {e.Status}: {e.Message}", e);
        }
        return Parse(result.GetRawResponse().Content.ToString());
    }

    internal static JsonObject BuildBody(LlmRequest r)
    {
        var messages = new JsonArray();
        if (r.System is not null) messages.Add(new JsonObject { ["role"] = "system", ["content"] = r.System });
        foreach (var m in r.Messages) messages.Add(m?.DeepClone());
        var body = new JsonObject { ["model"] = r.Model, ["messages"] = messages };
        if (r.Temperature is { } t) body["temperature"] = t;
        if (r.MaxTokens is { } mt) body["max_tokens"] = mt;
        if (r.TopP is { } p) body["top_p"] = p;
        if (r.Stop is not null) body["stop"] = r.Stop.DeepClone();
        if (r.Tools is { Count: > 0 }) body["tools"] = r.Tools.DeepClone();
        return body;
    }

    internal static LlmResponse Parse(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new ReplayProviderException("OpenAI answered something that is not a JSON object.");
        var choice = (root["choices"] as JsonArray)?.FirstOrDefault() as JsonObject
            ?? throw new ReplayProviderException("OpenAI answered no choices.");
        var message = choice["message"] as JsonObject;
        var content = message?["content"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        var toolCalls = message?["tool_calls"] as JsonArray;
        var usage = root["usage"] as JsonObject;
        long? prompt = ReadLong(usage, "prompt_tokens"), completion = ReadLong(usage, "completion_tokens");
        var model = root["model"]?.GetValue<string>();
        var finish = choice["finish_reason"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;

        var output = new JsonObject { ["content"] = content, ["model"] = model, ["finish_reason"] = finish };
        if (toolCalls is not null) output["tool_calls"] = toolCalls.DeepClone();
        if (usage is not null) output["usage"] = usage.DeepClone();
        return new LlmResponse(content, model, prompt, completion, finish, toolCalls?.DeepClone().AsArray(), output);
    }

    private static long? ReadLong(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}
