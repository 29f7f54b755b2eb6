using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Replay.Providers;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>
/// Validates a replay's <c>mutations</c> object against the trace: every key must be a re-runnable LLM span of it, every
/// field known and well-typed. Errors are keyed by the JSON path of the offending field (<c>mutations.{span}.{field}</c>).
/// </summary>
public static class MutationParser
{
    public static readonly IReadOnlyList<string> Fields = ["model", "temperature", "max_tokens", "top_p", "messages", "system", "provider"];

    public static Dictionary<string, SpanMutation> Parse(JsonNode? mutations, IReadOnlyList<SpanRecord> spans, Dictionary<string, string[]> errors)
    {
        var result = new Dictionary<string, SpanMutation>(StringComparer.Ordinal);
        if (mutations is null) return result;
        if (mutations is not JsonObject obj)
        {
            errors["mutations"] = ["must be an object of span_id → {field: value}"];
            return result;
        }
        var byId = spans.ToDictionary(s => s.SpanId, StringComparer.Ordinal);
        foreach (var (spanId, value) in obj)
        {
            var path = $"mutations.{spanId}";
            if (!byId.TryGetValue(spanId, out var span)) { errors[path] = ["is not a span of this trace"]; continue; }
            if (span.Kind != SpanKind.Llm) { errors[path] = [$"is a {span.Kind} span; only llm spans can be mutated"]; continue; }
            if (LlmRequestBuilder.ReadRecorded(span, out var why) is null) { errors[path] = [why!]; continue; }
            if (value is not JsonObject fields) { errors[path] = ["must be an object"]; continue; }
            var m = ParseFields(fields, path, errors);
            if (m is not null) result[spanId] = m;
        }
        return result;
    }

    private static SpanMutation? ParseFields(JsonObject fields, string path, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var m = new SpanMutation();
        foreach (var (name, node) in fields)
        {
            var p = $"{path}.{name}";
            switch (name)
            {
                case "model":
                    if (String(node) is { Length: > 0 and <= 128 } model) m = m with { Model = model };
                    else errors[p] = ["must be a non-empty string of at most 128 characters"];
                    break;
                case "temperature":
                    if (Number(node) is { } t && t is >= 0 and <= 2) m = m with { Temperature = t };
                    else errors[p] = ["must be a number from 0 to 2"];
                    break;
                case "top_p":
                    if (Number(node) is { } tp && tp is >= 0 and <= 1) m = m with { TopP = tp };
                    else errors[p] = ["must be a number from 0 to 1"];
                    break;
                case "max_tokens":
                    if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var mt) && mt is > 0 and <= 1_000_000)
                        m = m with { MaxTokens = mt };
                    else errors[p] = ["must be an integer from 1 to 1000000"];
                    break;
                case "system":
                    if (String(node) is { } system) m = m with { System = system };
                    else errors[p] = ["must be a string"];
                    break;
                case "provider":
                    if (String(node) is { } provider && ProviderNames.IsKnown(provider)) m = m with { Provider = provider };
                    else errors[p] = [$"must be one of {ProviderNames.OpenAI}, {ProviderNames.Anthropic}"];
                    break;
                case "messages":
                    if (ValidMessages(node)) m = m with { Messages = node!.DeepClone().AsArray() };
                    else errors[p] = ["must be a non-empty array of {role, content} objects (role a string, content a string or an array)"];
                    break;
                default:
                    errors[p] = [$"is not a known field; use {string.Join(", ", Fields)}"];
                    break;
            }
        }
        return errors.Count == before ? m : null;
    }

    private static bool ValidMessages(JsonNode? node) =>
        node is JsonArray { Count: > 0 } a && a.All(x => x is JsonObject o
            && String(o["role"]) is { Length: > 0 }
            && (String(o["content"]) is not null || o["content"] is JsonArray || (o["content"] is null && o["tool_calls"] is JsonArray)));

    private static string? String(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static double? Number(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        // Parsed values hold a JsonElement, built ones a CLR number of any type: read both through their JSON text.
        ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;
}
