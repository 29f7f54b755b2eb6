using Vigil.Core.Ingest;
using Vigil.Core.Live;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Ingest;

/// <summary>
/// A trace created by a batch gets its rollup summed while its spans are written; a trace that already had spans is
/// recomputed from storage. Both paths must store the same thing.
/// </summary>
public class TraceRollupPathTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync();
    public ValueTask DisposeAsync() => _host.DisposeAsync();

    // A root, a second later root (only the earliest names the trace), LLM calls on two models with tokens and cost,
    // an error, and a span still running.
    private static string[] Spans(string trace) =>
    [
        $$"""{"trace_id":"{{trace}}","span_id":"s3","parent_span_id":"s1","name":"call-b","kind":"llm","status":"error","model":"gpt-4o","usage":{"input_tokens":40,"output_tokens":5},"cost_usd":0.1,"start_time":"2026-01-01T00:00:02Z","end_time":"2026-01-01T00:00:03Z"}""",
        $$"""{"trace_id":"{{trace}}","span_id":"s1","name":"agent","kind":"agent","status":"ok","start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:09Z"}""",
        $$"""{"trace_id":"{{trace}}","span_id":"s2","parent_span_id":"s1","name":"call-a","kind":"llm","status":"ok","model":"claude-3-5-haiku-20241022","usage":{"input_tokens":100,"output_tokens":20},"cost_usd":0.2,"start_time":"2026-01-01T00:00:01Z","end_time":"2026-01-01T00:00:02Z"}""",
        $$"""{"trace_id":"{{trace}}","span_id":"s4","name":"late-root","kind":"chain","status":"ok","start_time":"2026-01-01T00:00:05Z"}""",
        $$"""{"trace_id":"{{trace}}","span_id":"s5","parent_span_id":"s1","name":"call-c","kind":"llm","model":"gpt-4o","usage":{"input_tokens":1,"output_tokens":2},"cost_usd":0.3,"start_time":"2026-01-01T00:00:04Z","end_time":"2026-01-01T00:00:10Z"}""",
    ];

    private Task<IngestResult> PostAsync(IEnumerable<string> spans) => _host.IngestJsonAsync($$"""{"spans":[{{string.Join(',', spans)}}]}""");

    private static object Rollup(TraceRecord t) =>
        (t.Name, t.Status, t.SpanCount, t.ErrorCount, t.InputTokens, t.OutputTokens, Math.Round(t.CostUsd, 12), t.StartTimeUs, t.EndTimeUs, t.DurationMs, t.Models);

    [Fact]
    public async Task A_trace_sent_in_one_batch_rolls_up_exactly_as_one_sent_in_pieces()
    {
        using var feed = _host.Get<LiveFeed>().Subscribe("p1");
        await PostAsync(Spans("whole"));
        var spans = Spans("pieces");
        await PostAsync(spans[..2]);
        await PostAsync(spans[2..4]);
        await PostAsync(spans[4..]);

        var queries = _host.Get<TraceQueryService>();
        var whole = (await queries.GetAsync("p1", "whole"))!.Trace;
        var pieces = (await queries.GetAsync("p1", "pieces"))!.Trace;
        Assert.Equal(("agent", "error", 5, 1, 141L, 27L, "claude-3-5-haiku-20241022,gpt-4o"),
            (whole.Name, whole.Status, whole.SpanCount, whole.ErrorCount, whole.InputTokens, whole.OutputTokens, whole.Models));
        Assert.Equal(0.6, whole.CostUsd, 12);
        Assert.Equal(10_000.0, whole.DurationMs);
        Assert.Equal(Rollup(whole), Rollup(pieces));

        // The live feed calls the trace new only for the batch that created it.
        var news = new List<bool>();
        while (feed.Reader.TryRead(out var e)) if (e is TraceEvent te) news.Add(te.Trace.IsNew);
        Assert.Equal([true, true, false, false], news);
    }

    [Fact]
    public async Task A_span_sent_twice_in_the_batch_that_creates_its_trace_is_counted_once()
    {
        var spans = Spans("dup");
        var resent = spans[2].Replace("\"status\":\"ok\"", "\"status\":\"error\"", StringComparison.Ordinal);
        await PostAsync([.. spans, resent]);

        var t = (await _host.Get<TraceQueryService>().GetAsync("p1", "dup"))!.Trace;
        Assert.Equal((5, 2, 141L), (t.SpanCount, t.ErrorCount, t.InputTokens));
    }

    [Fact]
    public async Task A_root_span_arriving_later_renames_and_sets_the_status_of_a_trace_created_without_one()
    {
        var spans = Spans("late");
        await PostAsync([spans[2]]);
        var t = (await _host.Get<TraceQueryService>().GetAsync("p1", "late"))!.Trace;
        Assert.Equal(("unset", 1), (t.Status, t.SpanCount));
        await PostAsync([spans[1]]);
        t = (await _host.Get<TraceQueryService>().GetAsync("p1", "late"))!.Trace;
        Assert.Equal(("agent", "ok", 2), (t.Name, t.Status, t.SpanCount));
    }
}
