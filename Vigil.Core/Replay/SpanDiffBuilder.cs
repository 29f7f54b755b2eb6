using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Ingest;
using Vigil.Core.Replay.Diff;
using Vigil.Core.Replay.Providers;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>Builds the stored per-span diff entries.</summary>
public static class SpanDiffBuilder
{
    private static readonly HashSet<string> ContentKey = ["content"];

    public static SpanDiff Copied(SpanRecord span, string newSpanId, string? note) => new()
    {
        SpanId = span.SpanId,
        NewSpanId = newSpanId,
        SpanName = span.Name,
        Kind = span.Kind,
        ParentSpanId = span.ParentSpanId,
        Status = SpanDiff.Statuses.Copied,
        WasExecuted = false,
        Note = note,
        OriginalModel = span.Model,
        NewModel = span.Model,
        Provider = span.Provider,
        OriginalInput = Parse(span.Input),
        MutatedInput = Parse(span.Input),
        OriginalOutput = Parse(span.Output),
        NewOutput = Parse(span.Output),
        OriginalTokens = Tokens(span.InputTokens, span.OutputTokens),
        NewTokens = Tokens(span.InputTokens, span.OutputTokens),
        OriginalCostUsd = span.CostUsd,
        NewCostUsd = span.CostUsd,
        OriginalLatencyMs = span.DurationMs,
        NewLatencyMs = span.DurationMs,
    };

    public static SpanDiff Executed(PlannedLlmSpan plan, SpanInput result, double latencyMs, string? error, string? note)
    {
        var span = plan.Span;
        var originalOutput = Parse(span.Output);
        var newOutput = Parse(result.Output);
        var oldTokens = Tokens(span.InputTokens, span.OutputTokens);
        var newTokens = error is null ? Tokens(result.InputTokens, result.OutputTokens) : null;
        return new SpanDiff
        {
            SpanId = span.SpanId,
            NewSpanId = result.SpanId,
            SpanName = span.Name,
            Kind = span.Kind,
            ParentSpanId = span.ParentSpanId,
            Status = error is null ? SpanDiff.Statuses.Ok : SpanDiff.Statuses.Error,
            WasExecuted = true,
            Note = note,
            Error = error,
            Provider = plan.Provider,
            OriginalModel = span.Model,
            NewModel = result.Model,
            OriginalInput = plan.RecordedInput.DeepClone(),
            MutatedInput = plan.MutatedInput.DeepClone(),
            OriginalOutput = originalOutput,
            NewOutput = newOutput,
            InputDiff = JsonDiff.Compare(plan.RecordedInput, plan.MutatedInput),
            OutputDiff = error is null ? TextDiff.Words(ContentOf(originalOutput), ContentOf(newOutput)) : [],
            OutputJsonDiff = error is null ? JsonDiff.Compare(originalOutput, newOutput, ContentKey) : [],
            OriginalTokens = oldTokens,
            NewTokens = newTokens,
            TokensDelta = newTokens - oldTokens,
            OriginalCostUsd = span.CostUsd,
            NewCostUsd = result.CostUsd,
            CostDeltaUsd = result.CostUsd - span.CostUsd,
            OriginalLatencyMs = span.DurationMs,
            NewLatencyMs = latencyMs,
            LatencyDeltaMs = latencyMs - span.DurationMs,
        };
    }

    /// <summary>The message text of an output: SDK-shaped <c>content</c>, or OpenAI <c>choices[0].message.content</c>.</summary>
    public static string? ContentOf(JsonNode? output) =>
        output is JsonObject o
            ? MessageText.Of(o["content"]) ?? MessageText.Of(o["choices"]?[0]?["message"]?["content"])
            : output is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static long? Tokens(long? input, long? output) => input is null && output is null ? null : (input ?? 0) + (output ?? 0);

    private static JsonNode? Parse(string? json)
    {
        if (json is null) return null;
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return JsonValue.Create(json); }
    }
}
