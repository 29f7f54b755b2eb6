using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Ingest;
using Vigil.Core.Replay.Providers;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>
/// Rebuilds a provider request from a recorded LLM span input (the Python SDK's shape: model, messages, system,
/// temperature, max_tokens, top_p, stop, tools) with the span's mutations merged on top.
/// </summary>
public static class LlmRequestBuilder
{
    /// <summary>The recorded input when the span can be re-run, else null and why.</summary>
    public static JsonObject? ReadRecorded(SpanRecord span, out string? why)
    {
        why = null;
        if (span.Kind != SpanKind.Llm) { why = $"is a {span.Kind} span"; return null; }
        JsonObject? input;
        try { input = span.Input is null ? null : JsonNode.Parse(span.Input) as JsonObject; }
        catch (JsonException) { input = null; }
        if (input is null) { why = "has no recorded input object, so its request cannot be rebuilt"; return null; }
        if (input["model"] is not JsonValue mv || mv.GetValueKind() != JsonValueKind.String)
        { why = "has no recorded input.model, so its request cannot be rebuilt"; return null; }
        if (input["messages"] is not JsonArray) { why = "has no recorded input.messages, so its request cannot be rebuilt"; return null; }
        return input;
    }

    /// <summary>The recorded input with the mutation applied: this is what the replay sends and records as the new span's input.</summary>
    public static JsonObject Apply(JsonObject recorded, SpanMutation? m)
    {
        var input = recorded.DeepClone().AsObject();
        if (m is null) return input;
        if (m.Model is not null) input["model"] = m.Model;
        if (m.Temperature is { } t) input["temperature"] = t;
        if (m.MaxTokens is { } mt) input["max_tokens"] = mt;
        if (m.TopP is { } p) input["top_p"] = p;
        if (m.Messages is not null) input["messages"] = m.Messages.DeepClone();
        if (m.System is not null) SetSystem(input, m.System);
        return input;
    }

    /// <summary>Anthropic-style inputs carry "system" beside the messages; OpenAI-style ones a leading system message.</summary>
    private static void SetSystem(JsonObject input, string system)
    {
        if (input.ContainsKey("system")) { input["system"] = system; return; }
        var messages = input["messages"] as JsonArray ?? [];
        var existing = messages.OfType<JsonObject>().FirstOrDefault(o => o["role"]?.GetValue<string>() == "system");
        if (existing is not null) existing["content"] = system;
        else messages.Insert(0, new JsonObject { ["role"] = "system", ["content"] = system });
        input["messages"] = messages;
    }

    public static LlmRequest ToRequest(JsonObject input) => new(
        Model: input["model"]!.GetValue<string>(),
        Messages: (input["messages"] as JsonArray)?.DeepClone().AsArray() ?? [],
        System: MessageText.Of(input["system"]),
        Temperature: Number(input["temperature"]),
        MaxTokens: Number(input["max_tokens"]) is { } mt ? (long)mt : Number(input["max_completion_tokens"]) is { } mct ? (long)mct : null,
        TopP: Number(input["top_p"]),
        Stop: input["stop"]?.DeepClone() ?? input["stop_sequences"]?.DeepClone(),
        Tools: (input["tools"] as JsonArray)?.DeepClone().AsArray());

    /// <summary>
    /// Provider for a span: the mutation's explicit choice, then the mutated model's name (a switch to claude-… goes to
    /// Anthropic), then the recorded provider, then the recorded model's name; OpenAI-compatible when nothing says.
    /// </summary>
    public static string ChooseProvider(SpanRecord span, SpanMutation? m, string recordedModel)
    {
        if (m?.Provider is { } explicitProvider) return explicitProvider;
        if (m?.Model is { } model && LlmFieldExtractor.InferProvider(model) is { } fromMutation && ProviderNames.IsKnown(fromMutation)) return fromMutation;
        if (ProviderNames.IsKnown(span.Provider)) return span.Provider!;
        if (LlmFieldExtractor.InferProvider(recordedModel) is { } fromRecorded && ProviderNames.IsKnown(fromRecorded)) return fromRecorded;
        return ProviderNames.OpenAI;
    }

    /// <summary>Ids of assistant tool calls in the messages that no later tool message answers.</summary>
    public static List<string> UnansweredToolCalls(JsonArray messages)
    {
        var calls = new List<string>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in messages.OfType<JsonObject>())
        {
            if (m["tool_calls"] is JsonArray tc)
                calls.AddRange(tc.OfType<JsonObject>().Select(c => c["id"]?.ToString()).OfType<string>());
            if (m["role"]?.ToString() == "tool" && m["tool_call_id"]?.ToString() is { } id) answered.Add(id);
            // Anthropic: tool_use blocks in assistant content, tool_result blocks in user content.
            if (m["content"] is JsonArray blocks)
                foreach (var b in blocks.OfType<JsonObject>())
                {
                    if (b["type"]?.ToString() == "tool_use" && b["id"]?.ToString() is { } useId) calls.Add(useId);
                    if (b["type"]?.ToString() == "tool_result" && b["tool_use_id"]?.ToString() is { } resultId) answered.Add(resultId);
                }
        }
        return calls.Where(c => !answered.Contains(c)).ToList();
    }

    private static double? Number(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        // Parsed values hold a JsonElement, built ones a CLR number of any type: read both through their JSON text.
        ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;
}
