using System.Text.Json.Nodes;
using Vigil.Core.Pricing;
using Vigil.Core.Replay;
using Vigil.Core.Replay.Diff;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Replay;

public class ReplayUnitTests
{
    private static SpanRecord Span(string id, string kind = "llm", string? parent = null, string? input = null, long start = 0) => new()
    {
        ProjectId = "p1", TraceId = "t", SpanId = id, ParentSpanId = parent, Kind = kind, Name = id, StartTimeUs = start,
        Input = input ?? (kind == "llm" ? """{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}""" : null),
        InputTokens = 1000, OutputTokens = 500, CostUsd = 0.5,
    };

    [Fact]
    public void Mutation_errors_name_the_field()
    {
        var spans = new[] { Span("llm1"), Span("tool1", "tool"), Span("raw", input: """{"prompt": "x"}""") };
        var errors = new Dictionary<string, string[]>();
        MutationParser.Parse(JsonNode.Parse("""
            {"nope": {}, "tool1": {"model": "x"}, "raw": {"model": "x"},
             "llm1": {"temperature": "hot", "max_tokens": 1.5, "top_p": 2, "model": "", "provider": "google", "messages": [], "colour": 1}}
            """), spans, errors);
        Assert.Contains("mutations.nope", errors.Keys);
        Assert.Contains("only llm spans", errors["mutations.tool1"][0]);
        Assert.Contains("cannot be rebuilt", errors["mutations.raw"][0]);
        foreach (var f in new[] { "temperature", "max_tokens", "top_p", "model", "provider", "messages", "colour" })
            Assert.Contains($"mutations.llm1.{f}", errors.Keys);
    }

    [Fact]
    public void Valid_mutations_parse()
    {
        var errors = new Dictionary<string, string[]>();
        var parsed = MutationParser.Parse(JsonNode.Parse("""{"llm1": {"model": "claude-3-5-haiku", "temperature": 1, "max_tokens": 99, "system": "S", "provider": "anthropic"}}"""), [Span("llm1")], errors);
        Assert.Empty(errors);
        Assert.Equal(new SpanMutation { Model = "claude-3-5-haiku", Temperature = 1, MaxTokens = 99, System = "S", Provider = "anthropic" }, parsed["llm1"]);
        Assert.Empty(MutationParser.Parse(JsonNode.Parse("[1]"), [], errors));
        Assert.Contains("mutations", errors.Keys);
    }

    [Fact]
    public void System_mutation_replaces_the_system_message_or_the_system_field()
    {
        var openAi = JsonNode.Parse("""{"model": "m", "messages": [{"role": "system", "content": "old"}, {"role": "user", "content": "q"}]}""")!.AsObject();
        var applied = LlmRequestBuilder.Apply(openAi, new SpanMutation { System = "new" });
        Assert.Equal("new", applied["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("old", openAi["messages"]![0]!["content"]!.GetValue<string>()); // the recorded input is untouched

        var anthropic = JsonNode.Parse("""{"model": "m", "system": "old", "messages": [{"role": "user", "content": "q"}]}""")!.AsObject();
        Assert.Equal("new", LlmRequestBuilder.Apply(anthropic, new SpanMutation { System = "new" })["system"]!.GetValue<string>());

        var none = JsonNode.Parse("""{"model": "m", "messages": [{"role": "user", "content": "q"}]}""")!.AsObject();
        var inserted = LlmRequestBuilder.Apply(none, new SpanMutation { System = "new" });
        Assert.Equal("system", inserted["messages"]![0]!["role"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, null, null, "gpt-4o", "openai")]
    [InlineData(null, null, "anthropic", "my-model", "anthropic")]
    [InlineData(null, "claude-3-5-haiku", "openai", "gpt-4o", "anthropic")]
    [InlineData("openai", "claude-3-5-haiku", null, "gpt-4o", "openai")]
    [InlineData(null, null, null, "o3-mini", "openai")]
    [InlineData(null, null, null, "llama-3", "openai")]
    public void Provider_comes_from_mutation_then_model_then_span(string? mutationProvider, string? mutationModel, string? spanProvider, string recordedModel, string expected)
    {
        var span = Span("s");
        span.Provider = spanProvider;
        var m = new SpanMutation { Provider = mutationProvider, Model = mutationModel };
        Assert.Equal(expected, LlmRequestBuilder.ChooseProvider(span, m, recordedModel));
    }

    [Fact]
    public void Estimate_prices_recorded_tokens_at_the_new_model_and_falls_back_to_the_recorded_cost()
    {
        var known = Span("a");
        var unknown = Span("b");
        var plan = ReplayPlan.LlmSpans([known, unknown, Span("c", "tool")], new Dictionary<string, SpanMutation>
        {
            ["a"] = new() { Model = "gpt-4o" },
            ["b"] = new() { Model = "totally-unknown-model" },
        }, PriceTable.Default);
        Assert.Equal(2, plan.Count);
        Assert.Equal(PriceTable.Default.Find("gpt-4o")!.Cost(1000, 500), plan[0].EstimatedCostUsd, 12);
        Assert.Equal(0.5, plan[1].EstimatedCostUsd);
    }

    [Fact]
    public void Topological_order_puts_parents_first()
    {
        var spans = new[] { Span("c", "tool", "b", start: 1), Span("b", "chain", "a", start: 5), Span("a", "agent", start: 10), Span("orphan", "tool", "missing", start: 0) };
        var order = ReplayPlan.TopologicalOrder(spans).Select(s => s.SpanId).ToList();
        Assert.True(order.IndexOf("a") < order.IndexOf("b"));
        Assert.True(order.IndexOf("b") < order.IndexOf("c"));
        Assert.Equal(4, order.Count);
    }

    [Fact]
    public void Unanswered_tool_calls_are_found()
    {
        var messages = JsonNode.Parse("""
            [{"role": "assistant", "tool_calls": [{"id": "a"}, {"id": "b"}]}, {"role": "tool", "tool_call_id": "a", "content": "x"},
             {"role": "assistant", "content": [{"type": "tool_use", "id": "c"}]}, {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c"}]}]
            """)!.AsArray();
        Assert.Equal(["b"], LlmRequestBuilder.UnansweredToolCalls(messages));
    }

    [Theory]
    [InlineData("The quick brown fox", "The slow brown dog")]
    [InlineData("", "All new")]
    [InlineData("All gone", "")]
    [InlineData("Same text.", "Same text.")]
    [InlineData("line one\nline two", "line one\nline 2\nline three")]
    [InlineData("a b c d e", "a x y d e f")]
    [InlineData("  leading and trailing  ", "leading and trailing")]
    public void Word_diff_reconstructs_both_texts(string before, string after)
    {
        var segments = TextDiff.Words(before, after);
        Assert.Equal(before, string.Concat(segments.Where(s => s.Op != DiffSegment.Insert).Select(s => s.Text)));
        Assert.Equal(after, string.Concat(segments.Where(s => s.Op != DiffSegment.Delete).Select(s => s.Text)));
        for (var i = 1; i < segments.Count; i++) Assert.NotEqual(segments[i - 1].Op, segments[i].Op);
    }

    [Fact]
    public void Word_diff_marks_changed_words_only()
    {
        var segments = TextDiff.Words("The quick brown fox", "The slow brown fox");
        Assert.Contains(segments, s => s.Op == "delete" && s.Text.Contains("quick"));
        Assert.Contains(segments, s => s.Op == "insert" && s.Text.Contains("slow"));
        Assert.DoesNotContain(segments, s => s.Op != "equal" && s.Text.Contains("fox"));
    }

    [Fact]
    public void Json_diff_lists_changed_added_and_removed_paths()
    {
        var changes = JsonDiff.Compare(
            JsonNode.Parse("""{"a": 1, "b": {"c": "x"}, "list": [1, 2], "gone": true, "content": "ignored"}"""),
            JsonNode.Parse("""{"a": 2, "b": {"c": "x", "d": null}, "list": [1], "new": [1], "content": "other"}"""),
            new HashSet<string> { "content" });
        Assert.Contains(changes, c => c.Path == "a" && c.Op == JsonChange.Changed);
        Assert.Contains(changes, c => c.Path == "b.d" && c.Op == JsonChange.Added);
        Assert.Contains(changes, c => c.Path == "list[1]" && c.Op == JsonChange.Removed);
        Assert.Contains(changes, c => c.Path == "gone" && c.Op == JsonChange.Removed);
        Assert.Contains(changes, c => c.Path == "new" && c.Op == JsonChange.Added);
        Assert.DoesNotContain(changes, c => c.Path == "content");
        Assert.Empty(JsonDiff.Compare(JsonNode.Parse("""{"x": [1, {"y": 2}]}"""), JsonNode.Parse("""{"x": [1, {"y": 2}]}""")));
    }
}

public class TextDiffReadabilityTests
{
    [Fact]
    public void A_rewritten_sentence_reads_old_then_new()
    {
        var segments = TextDiff.Words("Use the Forgot password link.", "Reply from the model at last.");
        var changes = segments.Where(s => s.Op != DiffSegment.Equal).ToList();
        Assert.True(changes.Count <= 4, string.Join(" | ", segments));
        Assert.Contains(segments, s => s.Op == DiffSegment.Delete && s.Text.Contains("Forgot password link"));
    }
}
