using System.Text.Json.Nodes;
using Vigil.Core.Pricing;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>One re-runnable LLM span of a trace: its recorded and mutated input, the model and provider the replay will use.</summary>
public sealed record PlannedLlmSpan(
    SpanRecord Span,
    JsonObject RecordedInput,
    JsonObject MutatedInput,
    string Model,
    string Provider,
    double EstimatedCostUsd);

/// <summary>Which spans of a trace a replay re-runs (all LLM spans, or only the chosen ones), and at what estimated cost.</summary>
public static class ReplayPlan
{
    public static List<PlannedLlmSpan> LlmSpans(IReadOnlyList<SpanRecord> spans, IReadOnlyDictionary<string, SpanMutation> mutations, PriceTable prices,
        IReadOnlyCollection<string>? onlySpans = null)
    {
        var result = new List<PlannedLlmSpan>();
        foreach (var span in spans)
        {
            if (onlySpans is { Count: > 0 } && !onlySpans.Contains(span.SpanId)) continue;
            if (LlmRequestBuilder.ReadRecorded(span, out _) is not { } recorded) continue;
            mutations.TryGetValue(span.SpanId, out var m);
            var mutated = LlmRequestBuilder.Apply(recorded, m);
            var model = mutated["model"]!.GetValue<string>();
            var provider = LlmRequestBuilder.ChooseProvider(span, m, recorded["model"]!.GetValue<string>());
            result.Add(new PlannedLlmSpan(span, recorded, mutated, model, provider, Estimate(span, model, prices)));
        }
        return result;
    }

    /// <summary>Recorded tokens at the (possibly new) model's price; the recorded cost when the model is not priced.</summary>
    public static double Estimate(SpanRecord span, string model, PriceTable prices) =>
        prices.Cost(model, span.InputTokens, span.OutputTokens) ?? span.CostUsd ?? 0;

    /// <summary>Parents before children (Kahn's algorithm over parent_span_id), siblings by start time; cycles fall back to start time.</summary>
    public static List<SpanRecord> TopologicalOrder(IReadOnlyList<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTimeUs).ThenBy(s => s.Id).ToList(), StringComparer.Ordinal);
        var queue = new Queue<SpanRecord>(spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId))
            .OrderBy(s => s.StartTimeUs).ThenBy(s => s.Id));
        var order = new List<SpanRecord>(spans.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            if (!seen.Add(s.SpanId)) continue;
            order.Add(s);
            if (children.TryGetValue(s.SpanId, out var kids)) foreach (var k in kids) queue.Enqueue(k);
        }
        order.AddRange(spans.Where(s => !seen.Contains(s.SpanId)).OrderBy(s => s.StartTimeUs));
        return order;
    }
}
