using Microsoft.EntityFrameworkCore;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Traces;

public class TraceQueryServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-anthropic.json"));
        await _host.IngestJsonAsync(Fixtures.Read("native/mixed-traces.json"));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<Page<TraceRecord>> List(TraceQuery q) => _host.Get<TraceQueryService>().ListAsync("p1", q);

    [Fact]
    public async Task Lists_newest_first_with_total()
    {
        var page = await List(new TraceQuery { Limit = 2 });
        Assert.Equal(4, page.Total);
        Assert.Equal(["mixed-b", "mixed-a"], page.Items.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Filters_by_status_name_model_and_errors()
    {
        Assert.Equal(["anthropic-trace-1"], (await List(new TraceQuery { Status = "error" })).Items.Select(t => t.TraceId));
        Assert.Equal(["anthropic-trace-1"], (await List(new TraceQuery { HasErrors = true })).Items.Select(t => t.TraceId));
        Assert.Equal(["mixed-b"], (await List(new TraceQuery { Name = "ROOT-B" })).Items.Select(t => t.TraceId));
        Assert.Equal(2, (await List(new TraceQuery { Model = "gpt-4o" })).Total);
    }

    [Fact]
    public async Task Every_substring_of_a_name_or_model_finds_its_trace()
    {
        // The name and model filters read a tiling of the text's trigrams from the index: any substring, at any offset and
        // in any case (of any letter: SQLite's own lower() folded only ASCII), must still find the trace.
        const string name = "Nightly-Report Ünïcode Öl", model = "claude-3-5-sonnet";
        await _host.IngestJsonAsync($$"""{"spans": [{"trace_id": "subs", "span_id": "r", "name": "{{name}}", "kind": "llm", "model": "{{model}}"}]}""");
        foreach (var (text, field) in new[] { (name, "name"), (model, "model") })
            for (var length = 3; length <= text.Length; length++)
                for (var at = 0; at + length <= text.Length; at++)
                {
                    var sub = text.Substring(at, length);
                    if (at % 2 == 1) sub = sub.ToUpperInvariant();
                    var page = await List(field == "name" ? new TraceQuery { Name = sub } : new TraceQuery { Model = sub });
                    Assert.True(page.Items.Any(t => t.TraceId == "subs"), $"{field} = {sub}");
                }
    }

    [Fact]
    public async Task Full_text_searches_inputs_and_outputs()
    {
        var hits = await List(new TraceQuery { Q = "Forgot password" });
        Assert.Equal(["9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001"], hits.Items.Select(t => t.TraceId));
        Assert.Equal(0, (await List(new TraceQuery { Q = "100%_" })).Total); // LIKE wildcards are literal
    }

    [Fact]
    public async Task Full_text_finds_non_ascii_text_in_any_case_and_however_the_client_escaped_it()
    {
        // One client sends the text as UTF-8, another as JSON escapes (System.Text.Json's default): q matches both, in
        // any letter's case, as the name filters do.
        await _host.IngestJsonAsync("""{"spans": [{"trace_id": "utf8", "span_id": "r", "name": "de", "kind": "llm", "input": {"content": "Grüße aus München"}, "output": {"content": "ÜBERWEISUNG fehlgeschlagen"}}]}""");
        await _host.IngestJsonAsync("""{"spans": [{"trace_id": "escaped", "span_id": "r", "name": "ja", "kind": "llm", "input": {"content": "\u6771\u4eac\u306e\u5929\u6c17"}, "output": {"content": "Stra\u00dfe in K\u00f6ln \ud83d\ude00!"}}]}""");
        var missed = new List<string>();
        foreach (var (q, trace) in new[]
                 {
                     ("München", "utf8"), ("MÜNCHEN", "utf8"), ("münchen", "utf8"), ("überweisung", "utf8"), ("grüße", "utf8"),
                     ("東京の", "escaped"), ("京の天気", "escaped"), ("köln", "escaped"), ("KÖLN", "escaped"), ("Straße", "escaped"), ("köln 😀!", "escaped"),
                 })
            if (!(await List(new TraceQuery { Q = q })).Items.Select(t => t.TraceId).SequenceEqual([trace])) missed.Add(q);
        Assert.Empty(missed);
    }

    [Fact]
    public async Task Filters_by_time_range()
    {
        var page = await List(new TraceQuery { StartDate = new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.Zero), EndDate = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero) });
        Assert.Equal(["anthropic-trace-1"], page.Items.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Sorts_by_cost_and_duration()
    {
        Assert.Equal("anthropic-trace-1", (await List(new TraceQuery { Sort = TraceSort.Cost })).Items[0].TraceId);
        Assert.Equal("mixed-a", (await List(new TraceQuery { Sort = TraceSort.Duration, Descending = false })).Items[0].TraceId);
    }

    [Fact]
    public async Task Lists_spans_with_filters()
    {
        var svc = _host.Get<TraceQueryService>();
        Assert.Equal(3, (await svc.ListSpansAsync("p1", new SpanQuery { Kind = "llm" })).Total);
        Assert.Equal(1, (await svc.ListSpansAsync("p1", new SpanQuery { Status = "error" })).Total);
        Assert.Equal(3, (await svc.ListSpansAsync("p1", new SpanQuery { TraceId = "mixed-a" })).Total);
        Assert.Equal(0, (await svc.ListSpansAsync("p2", new SpanQuery())).Total);
    }

    [Fact]
    public async Task Stats_sum_the_project()
    {
        var stats = await _host.Get<TraceQueryService>().GetStatsAsync("p1");
        Assert.Equal((4, 10L, 1), (stats.TraceCount, stats.SpanCount, stats.ErrorTraceCount));
    }

    [Fact]
    public async Task Stats_from_the_rollups_equal_a_scan_of_the_traces_after_updates_and_in_another_project()
    {
        // A re-sent span with other tokens and cost (the rollups subtract and add it again), and a project not counted.
        await _host.IngestJsonAsync("""
            {"spans": [{"trace_id": "mixed-a", "span_id": "a-extra", "name": "late llm", "kind": "llm", "model": "gpt-4o",
              "start_time": "2026-03-02T09:00:00Z", "end_time": "2026-03-02T09:00:01Z", "usage": {"input_tokens": 7, "output_tokens": 5}, "cost_usd": 0.25}]}
            """);
        await _host.IngestJsonAsync("""
            {"spans": [{"trace_id": "mixed-a", "span_id": "a-extra", "name": "late llm", "kind": "llm", "model": "gpt-4o", "status": "error",
              "start_time": "2026-03-02T09:00:00Z", "end_time": "2026-03-02T09:00:01Z", "usage": {"input_tokens": 70, "output_tokens": 50}, "cost_usd": 0.5}]}
            """);
        await _host.Get<Vigil.Core.Projects.ProjectService>().CreateAsync("p2", "Project two", null);
        await _host.IngestJsonAsync("""{"spans": [{"trace_id": "other", "span_id": "o1", "name": "x", "usage": {"input_tokens": 1000}, "cost_usd": 9}]}""", "p2");

        var stats = await _host.Get<TraceQueryService>().GetStatsAsync("p1");
        await using var db = await _host.Db();
        var traces = await db.Traces.Where(t => t.ProjectId == "p1").ToListAsync();
        Assert.Equal(traces.Count, stats.TraceCount);
        Assert.Equal(traces.Sum(t => (long)t.SpanCount), stats.SpanCount);
        Assert.Equal(traces.Count(t => t.ErrorCount > 0), stats.ErrorTraceCount);
        Assert.Equal(2, stats.ErrorTraceCount);
        Assert.Equal(traces.Sum(t => t.InputTokens), stats.InputTokens);
        Assert.Equal(traces.Sum(t => t.OutputTokens), stats.OutputTokens);
        Assert.Equal(traces.Sum(t => t.CostUsd), stats.CostUsd, 1e-9);
        Assert.Equal(Vigil.Core.Storage.UnixMicros.ToDateTime(traces.Max(t => t.StartTimeUs)), stats.LastTraceAt);
        Assert.Equal(new ProjectStats(0, 0, 0, 0, 0, 0, null), await _host.Get<TraceQueryService>().GetStatsAsync("nobody"));
    }
}
