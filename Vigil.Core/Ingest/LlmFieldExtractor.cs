using System.Text.Json;

namespace Vigil.Core.Ingest;

/// <summary>
/// Reads the typed LLM columns out of a span's input and output, following the conventions the Python SDK's
/// OpenAI and Anthropic integrations write: <c>input.model</c>, <c>output.model</c>,
/// <c>output.usage.prompt_tokens|completion_tokens|input_tokens|output_tokens</c>. Fields already set win.
/// </summary>
public static class LlmFieldExtractor
{
    public static void Extract(SpanInput span, JsonElement? input, JsonElement? output)
    {
        if (span.Model is null)
            span.Model = ReadString(output, "model") ?? ReadString(input, "model");

        if ((span.InputTokens is null || span.OutputTokens is null) && output is { ValueKind: JsonValueKind.Object } o
            && o.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            span.InputTokens ??= ReadLong(usage, "prompt_tokens") ?? ReadLong(usage, "input_tokens");
            span.OutputTokens ??= ReadLong(usage, "completion_tokens") ?? ReadLong(usage, "output_tokens");
        }
    }

    private static string? ReadString(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;

    internal static long? ReadLong(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    /// <summary>Provider from the model name when the span did not say.</summary>
    public static string? InferProvider(string? model)
    {
        if (string.IsNullOrEmpty(model)) return null;
        var m = model.AsSpan();
        var slash = m.IndexOf('/');
        if (slash > 0) m = m[(slash + 1)..];
        if (m.StartsWith("gpt-", StringComparison.OrdinalIgnoreCase) || m.StartsWith("o1", StringComparison.OrdinalIgnoreCase)
            || m.StartsWith("o3", StringComparison.OrdinalIgnoreCase) || m.StartsWith("o4", StringComparison.OrdinalIgnoreCase)
            || m.StartsWith("text-embedding", StringComparison.OrdinalIgnoreCase) || m.StartsWith("chatgpt", StringComparison.OrdinalIgnoreCase))
            return "openai";
        if (m.StartsWith("claude", StringComparison.OrdinalIgnoreCase)) return "anthropic";
        if (m.StartsWith("gemini", StringComparison.OrdinalIgnoreCase)) return "google";
        if (m.StartsWith("mistral", StringComparison.OrdinalIgnoreCase) || m.StartsWith("mixtral", StringComparison.OrdinalIgnoreCase)) return "mistral";
        return null;
    }
}
