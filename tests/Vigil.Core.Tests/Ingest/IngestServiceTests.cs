using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;
using Vigil.Core.Live;
using Vigil.Core.Metrics;
using Vigil.Core.Projects;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Ingest;

public class IngestServiceTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync();
    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(int Traces, int Spans)> CountsAsync(string project = "p1")
    {
        await using var db = await _host.Db();
        return (await db.Traces.CountAsync(t => t.ProjectId == project), await db.Spans.CountAsync(s => s.ProjectId == project));
    }

    private async Task<TraceDetail> TraceAsync(string id, string project = "p1") =>
        (await _host.Get<TraceQueryService>().GetAsync(project, id))!;

    [Fact]
    public async Task A_batch_mixing_traces_creates_each_and_orphans_join_the_first()
    {
        var result = await _host.IngestJsonAsync(Fixtures.Read("native/mixed-traces.json"));
        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        Assert.Equal(["mixed-a", "mixed-b"], result.TraceIds);
        Assert.Equal(4, result.SpanCount);
        Assert.Equal((2, 4), await CountsAsync());
        var a = await TraceAsync("mixed-a");
        Assert.Equal(["m1", "m4", "m3"], a.Spans.Select(s => s.SpanId).OrderBy(x => x == "m1" ? 0 : x == "m4" ? 1 : 2));
        Assert.Equal(3, a.Trace.SpanCount);
    }

    [Fact]
    public async Task Posting_the_same_batch_twice_changes_nothing()
    {
        var json = Fixtures.Read("native/python-sdk-openai.json");
        await _host.IngestJsonAsync(json);
        var before = await TraceAsync("9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001");
        await _host.IngestJsonAsync(json);
        var after = await TraceAsync("9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001");
        Assert.Equal((1, 3), await CountsAsync());
        Assert.Equal(before.Trace.SpanCount, after.Trace.SpanCount);
        Assert.Equal(before.Trace.InputTokens, after.Trace.InputTokens);
        Assert.Equal(before.Trace.CostUsd, after.Trace.CostUsd);
    }

    [Fact]
    public async Task A_span_sent_at_start_and_again_at_end_ends_up_complete()
    {
        await _host.IngestJsonAsync("""{"spans":[{"span_id":"s1","trace_id":"t1","name":"llm","kind":"llm","input":{"model":"gpt-4o","messages":[]},"start_time":"2026-01-01T00:00:00Z"}]}""");
        var running = await TraceAsync("t1");
        Assert.Null(running.Spans[0].EndTimeUs);
        Assert.Null(running.Spans[0].DurationMs);
        Assert.Equal("unset", running.Spans[0].Status);

        // The end: no name, kind or input this time; those stay as first sent.
        await _host.IngestJsonAsync("""{"spans":[{"span_id":"s1","trace_id":"t1","status":"ok","output":{"content":"hi","usage":{"prompt_tokens":10,"completion_tokens":5}},"end_time":"2026-01-01T00:00:02Z"}]}""");
        var done = await TraceAsync("t1");
        var span = Assert.Single(done.Spans);
        Assert.Equal(("llm", "llm", "ok"), (span.Name, span.Kind, span.Status));
        Assert.Contains("gpt-4o", span.Input);
        Assert.Contains("\"hi\"", span.Output);
        Assert.Equal(2000, span.DurationMs);
        Assert.Equal((10L, 5L), (span.InputTokens!.Value, span.OutputTokens!.Value));
        Assert.Equal("ok", done.Trace.Status);
        Assert.Equal(2000, done.Trace.DurationMs);
    }

    [Fact]
    public async Task Rollups_follow_the_spans()
    {
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-anthropic.json"));
        var t = (await TraceAsync("anthropic-trace-1")).Trace;
        Assert.Equal("summarize", t.Name); // root span's name: the SDK sends no trace_name
        Assert.Equal("error", t.Status); // one span errored
        Assert.Equal((3, 1), (t.SpanCount, t.ErrorCount));
        Assert.Equal((2000L, 100L), (t.InputTokens, t.OutputTokens));
        Assert.Equal(2000 * 3.0 / 1e6 + 100 * 15.0 / 1e6, t.CostUsd, 10);
        Assert.Equal(3000, t.DurationMs);
        Assert.Equal("claude-3-5-sonnet-20241022", t.Models);
    }

    /// <summary>Many spans at every bound in one trace and one minute: the trace and metric rollups sum them without overflow.</summary>
    [Fact]
    public async Task Spans_at_every_bound_sum_into_the_rollups()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var spans = Enumerable.Range(0, 200).Select(i => new SpanInput
        {
            TraceId = "big", SpanId = $"s{i}", Kind = "llm", Model = "gpt-4o", StartTime = start, EndTime = start + IngestValidator.MaxSpanDuration,
            InputTokens = IngestValidator.MaxTokens, OutputTokens = IngestValidator.MaxTokens, CostUsd = IngestValidator.MaxCostUsd,
        });
        var batch = new IngestBatch();
        batch.Spans.AddRange(spans);
        var result = await _host.Get<IngestService>().IngestAsync("p1", batch, IngestMode.AllOrNothing);
        Assert.Equal(200, result.SpanCount);
        var t = (await TraceAsync("big")).Trace;
        Assert.Equal((200 * IngestValidator.MaxTokens, 200 * IngestValidator.MaxTokens), (t.InputTokens, t.OutputTokens));
        Assert.Equal(200 * IngestValidator.MaxCostUsd, t.CostUsd, 1);
        await using var db = await _host.Db();
        var minute = await db.MetricRollups.SingleAsync(r => r.ProjectId == "p1" && r.BucketSeconds == MetricRollup.Minute);
        Assert.Equal((200L, 200 * IngestValidator.MaxTokens, 200L * 1_000_000 * 1_000_000_000), (minute.SpanCount, minute.InputTokens, minute.CostNanoUsd));
    }

    [Fact]
    public async Task Typed_fields_and_cost_come_from_the_price_table()
    {
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var llm = (await TraceAsync("9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001")).Spans.Single(s => s.Kind == "llm");
        Assert.Equal("openai", llm.Provider);
        Assert.Equal(1200 * 0.15 / 1e6 + 300 * 0.60 / 1e6, llm.CostUsd!.Value, 12);
        Assert.Equal(1800, llm.DurationMs);
    }

    [Fact]
    public async Task Trace_name_metadata_and_external_id_apply_to_the_first_trace()
    {
        await _host.IngestJsonAsync("""{"trace_name":"pipeline","external_id":"ext-1","trace_metadata":{"env":"prod"},"spans":[{"span_id":"a","trace_id":"t-first","name":"root"},{"span_id":"b","trace_id":"t-second","name":"other"}]}""");
        var first = (await TraceAsync("t-first")).Trace;
        var second = (await TraceAsync("t-second")).Trace;
        Assert.Equal(("pipeline", "ext-1"), (first.Name, first.ExternalId));
        Assert.Contains("prod", first.Metadata);
        Assert.Equal(("other", null), (second.Name, second.ExternalId));
    }

    [Fact]
    public async Task One_bad_span_rejects_the_whole_batch_and_writes_nothing()
    {
        var spans = string.Join(",", Enumerable.Range(0, 10).Select(i => i == 6
            ? """{"span_id":"s6","trace_id":"t","kind":"nope"}"""
            : $$"""{"span_id":"s{{i}}","trace_id":"t"}"""));
        var result = await _host.IngestJsonAsync($$"""{"spans":[{{spans}}]}""");
        Assert.Equal(IngestOutcome.Invalid, result.Outcome);
        var error = Assert.Single(result.Errors);
        Assert.Equal("spans[6].kind", error.Path);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Drop_invalid_mode_keeps_the_valid_spans()
    {
        var result = await _host.IngestJsonAsync("""{"spans":[{"span_id":"a","trace_id":"t"},{"span_id":"","trace_id":"t"},{"span_id":"c","trace_id":"t"}]}""", mode: IngestMode.DropInvalid);
        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        Assert.Equal((2, 1), (result.SpanCount, result.RejectedCount));
        Assert.Equal((1, 2), await CountsAsync());
    }

    [Fact]
    public async Task A_project_id_in_the_body_must_match()
    {
        var result = await _host.IngestJsonAsync("""{"project_id":"someone-else","spans":[{"span_id":"a"}]}""");
        Assert.Equal(IngestOutcome.Forbidden, result.Outcome);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Same_ids_in_two_projects_never_touch_each_other()
    {
        await _host.Get<ProjectService>().CreateAsync("p2", "Project two", null);
        await _host.IngestJsonAsync("""{"spans":[{"span_id":"s","trace_id":"shared","name":"from-p1","kind":"tool"}]}""", "p1");
        await _host.IngestJsonAsync("""{"spans":[{"span_id":"s","trace_id":"shared","name":"from-p2","kind":"llm"}]}""", "p2");
        Assert.Equal("from-p1", (await TraceAsync("shared", "p1")).Spans[0].Name);
        Assert.Equal("from-p2", (await TraceAsync("shared", "p2")).Spans[0].Name);
        Assert.Null(await _host.Get<TraceQueryService>().GetAsync("p2", "missing"));
    }

    [Fact]
    public async Task A_span_without_any_trace_id_gets_a_generated_trace()
    {
        var result = await _host.IngestJsonAsync("""{"spans":[{"span_id":"lonely","name":"x"}]}""");
        Assert.Equal(32, Assert.Single(result.TraceIds).Length);
    }

    [Fact]
    public async Task Committed_batches_are_published_to_the_live_feed()
    {
        using var sub = _host.Get<LiveFeed>().Subscribe("p1");
        using var other = _host.Get<LiveFeed>().Subscribe("p2");
        await _host.IngestJsonAsync(Fixtures.Read("native/mixed-traces.json"));
        Assert.True(sub.Reader.TryRead(out var first));
        var spans = Assert.IsType<SpansEvent>(first);
        Assert.Equal(4, spans.Spans.Count);
        Assert.Equal("child-a", spans.Spans.Single(s => s.SpanId == "m3").Name);
        Assert.True(sub.Reader.TryRead(out var trace));
        Assert.True(Assert.IsType<TraceEvent>(trace).Trace.IsNew);
        Assert.False(other.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Patch_sets_status_explicitly_and_merges_metadata()
    {
        await _host.IngestJsonAsync("""{"trace_metadata":{"a":1,"b":2},"spans":[{"span_id":"s","trace_id":"t","status":"ok"}]}""");
        var svc = _host.Get<TraceQueryService>();
        var patched = await svc.PatchAsync("p1", "t", "error", System.Text.Json.Nodes.JsonNode.Parse("""{"b":null,"c":3}""")!.AsObject());
        Assert.Equal("error", patched!.Status);
        Assert.Equal("""{"a":1,"c":3}""", patched.Metadata);
        // A later span does not override an explicit status.
        await _host.IngestJsonAsync("""{"spans":[{"span_id":"s2","trace_id":"t","parent_span_id":"s","status":"ok"}]}""");
        Assert.Equal("error", (await TraceAsync("t")).Trace.Status);
        Assert.Null(await svc.PatchAsync("p2", "t", "ok", null));
    }

    [Fact]
    public async Task Events_are_appended()
    {
        await _host.IngestJsonAsync("""{"spans":[{"span_id":"s","trace_id":"t","events":[{"name":"a","timestamp":"2026-01-01T00:00:00Z","attributes":{}}]}]}""");
        var svc = _host.Get<TraceQueryService>();
        Assert.True(await svc.AddEventAsync("p1", "t", "s", "feedback", System.Text.Json.Nodes.JsonNode.Parse("""{"score":1}""")!.AsObject()));
        Assert.False(await svc.AddEventAsync("p1", "t", "missing", "x", null));
        var events = System.Text.Json.JsonDocument.Parse((await TraceAsync("t")).Spans[0].Events!).RootElement;
        Assert.Equal(["a", "feedback"], events.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }
}
