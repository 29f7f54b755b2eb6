using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Core.Pricing;
using Vigil.Core.Replay;

namespace Vigil.Core.Tests.Replay;

/// <summary>The engine end to end against fake OpenAI/Anthropic servers, through the official clients.</summary>
public sealed class ReplayEngineTests : IAsyncLifetime
{
    private const string OpenAiTrace = "9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001";
    private const string OpenAiLlmSpan = "a1b2c3d4e5f60003";
    private ReplayTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ReplayTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private ReplayService Service => _host.Get<ReplayService>();

    private static JsonNode Mutations(string json) => JsonNode.Parse(json)!;

    [Fact]
    public async Task OpenAi_replay_sends_the_mutations_stores_a_new_trace_and_diffs()
    {
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
        using var sub = _host.Get<LiveFeed>().Subscribe("p1");

        var estimate = await Service.EstimateAsync("p1", OpenAiTrace,
            Mutations($$$"""{"{{{OpenAiLlmSpan}}}": {"model": "gpt-4o", "temperature": 0.9, "system": "Be brief."}}"""));
        Assert.Equal(ReplayOutcomeKind.Ok, estimate.Kind);
        var run = estimate.Value!.Run;
        Assert.Equal(ReplayStatus.Estimating, run.Status);
        Assert.Equal(1, run.LlmSpansCount);
        // Recorded tokens (1200 in, 300 out) at the mutated model's price.
        Assert.Equal(PriceTable.Default.Find("gpt-4o")!.Cost(1200, 300), run.EstimatedCostUsd, 9);
        Assert.Equal("openai", estimate.Value.LlmSpans[0].Provider);

        Assert.Equal(ReplayOutcomeKind.Ok, (await Service.ConfirmAsync("p1", OpenAiTrace, run.Id)).Kind);
        var done = await _host.WaitForEndAsync(run.Id);
        Assert.Equal(ReplayStatus.Completed, done.Status);
        Assert.Null(done.ErrorMessage);
        Assert.Equal(1, done.CompletedSpans);

        // The provider saw exactly the mutated request.
        var sent = Assert.Single(_host.Fake.OpenAiRequests);
        Assert.Equal("gpt-4o", sent.Body["model"]!.GetValue<string>());
        Assert.Equal(0.9, sent.Body["temperature"]!.GetValue<double>());
        Assert.Equal(256, sent.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal("system", sent.Body["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Be brief.", sent.Body["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("How do I reset my password?", sent.Body["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal($"Bearer {ReplayTestHost.OpenAiKey}", sent.Authorization);

        // A new trace, linked to the original, with its own span ids and the parent links mapped.
        await using var db = await _host.Db();
        var result = await db.Traces.SingleAsync(t => t.TraceId == done.ResultTraceId);
        Assert.Equal(OpenAiTrace, result.ReplayOf);
        Assert.Equal(3, result.SpanCount);
        var spans = await db.Spans.Where(s => s.TraceId == done.ResultTraceId).ToListAsync();
        Assert.DoesNotContain(spans, s => s.SpanId.StartsWith("a1b2c3d4e5f6"));
        var root = spans.Single(s => s.ParentSpanId is null);
        Assert.All(spans.Where(s => s != root), s => Assert.Equal(root.SpanId, s.ParentSpanId));
        var llm = spans.Single(s => s.Kind == "llm");
        Assert.Equal("gpt-4o", llm.Model);
        Assert.Equal(100, llm.InputTokens);
        Assert.Equal(20, llm.OutputTokens);
        Assert.Contains("Reply from gpt-4o", llm.Output);
        Assert.Equal(done.ActualCostUsd!.Value, llm.CostUsd!.Value, 12);

        // Per-span diffs stored with the run.
        var diffs = ReplayJson.DeserializeDiffs(done.Diffs);
        Assert.Equal(3, diffs.Count);
        var d = diffs.Single(x => x.SpanId == OpenAiLlmSpan);
        Assert.True(d.WasExecuted);
        Assert.Equal("ok", d.Status);
        Assert.Contains(d.InputDiff, c => c.Path == "model" && c.Op == "changed");
        Assert.Contains(d.InputDiff, c => c.Path == "temperature");
        Assert.Contains(d.InputDiff, c => c.Path == "messages[0].content");
        Assert.Contains(d.OutputDiff, s => s.Op == "delete" && s.Text.Contains("Forgot"));
        Assert.Contains(d.OutputDiff, s => s.Op == "insert" && s.Text.Contains("Reply"));
        Assert.Equal(120 - 1500, d.TokensDelta);
        Assert.NotNull(d.LatencyDeltaMs);
        Assert.All(diffs.Where(x => x.SpanId != OpenAiLlmSpan), x => Assert.False(x.WasExecuted));

        // Status went estimating → confirmed → running → completed on the live feed, with span progress.
        var statuses = new List<string>();
        while (sub.Reader.TryRead(out var e)) if (e is ReplayStatusEvent r && r.ReplayRunId == run.Id) statuses.Add(r.Status);
        Assert.Equal([ReplayStatus.Estimating, ReplayStatus.Confirmed, ReplayStatus.Running, ReplayStatus.Completed],
            statuses.Distinct().ToList());

        var note = await db.Notifications.SingleAsync(n => n.ReferenceId == run.Id);
        Assert.Equal(NotificationType.ReplayComplete, note.Type);
    }

    [Fact]
    public async Task A_replay_carries_the_session_and_user_in_its_metadata_only()
    {
        var batch = JsonNode.Parse(Fixtures.Read("native/python-sdk-openai.json"))!.AsObject();
        batch["session_id"] = "conversation-7";
        batch["user_id"] = "customer-3";
        await _host.IngestJsonAsync(batch.ToJsonString());
        var run = (await Service.EstimateAsync("p1", OpenAiTrace, null)).Value!.Run;
        await Service.ConfirmAsync("p1", OpenAiTrace, run.Id);
        var done = await _host.WaitForEndAsync(run.Id);
        Assert.Equal(ReplayStatus.Completed, done.Status);

        await using var db = await _host.Db();
        var result = await db.Traces.AsNoTracking().SingleAsync(t => t.TraceId == done.ResultTraceId);
        Assert.Equal((null, null), (result.SessionId, result.UserId));
        var metadata = JsonNode.Parse(result.Metadata!)!;
        Assert.Equal(("conversation-7", "customer-3"), (metadata["session_id"]!.GetValue<string>(), metadata["user_id"]!.GetValue<string>()));
        var session = await db.Sessions.AsNoTracking().SingleAsync();
        Assert.Equal(1, session.TraceCount); // no new turn
    }

    [Fact]
    public async Task Anthropic_replay_goes_through_the_messages_api()
    {
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-anthropic.json"));
        var estimate = await Service.EstimateAsync("p1", "anthropic-trace-1", Mutations("""{"b000000000000002": {"temperature": 0.5, "max_tokens": 300}}"""));
        var run = estimate.Value!.Run;
        await Service.ConfirmAsync("p1", "anthropic-trace-1", run.Id);
        var done = await _host.WaitForEndAsync(run.Id);

        Assert.True(done.Status == ReplayStatus.Completed, done.ErrorMessage);
        var sent = Assert.Single(_host.Fake.AnthropicRequests);
        Assert.Equal("claude-3-5-sonnet-20241022", sent.Body["model"]!.GetValue<string>());
        Assert.Equal(0.5, sent.Body["temperature"]!.GetValue<double>());
        Assert.Equal(300, sent.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal("Summarize in one sentence.", sent.Body["system"]!.GetValue<string>());
        // Anthropic client 13.x sends the API key as a Bearer token (older ones used x-api-key).
        Assert.True(sent.Authorization == $"Bearer {ReplayTestHost.AnthropicKey}" || sent.ApiKeyHeader == ReplayTestHost.AnthropicKey);
        var d = ReplayJson.DeserializeDiffs(done.Diffs).Single(x => x.SpanId == "b000000000000002");
        Assert.Equal(210 - 2100, d.TokensDelta);
        Assert.Equal("anthropic", d.Provider);
        // The failed tool span is copied as recorded.
        Assert.Equal("copied", ReplayJson.DeserializeDiffs(done.Diffs).Single(x => x.SpanId == "b000000000000003").Status);
    }

    [Fact]
    public async Task Switching_an_openai_span_to_claude_moves_the_system_prompt_out_of_the_messages()
    {
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var run = (await Service.EstimateAsync("p1", OpenAiTrace, Mutations($$$"""{"{{{OpenAiLlmSpan}}}": {"model": "claude-3-5-haiku-20241022"}}"""))).Value!.Run;
        await Service.ConfirmAsync("p1", OpenAiTrace, run.Id);
        Assert.Equal(ReplayStatus.Completed, (await _host.WaitForEndAsync(run.Id)).Status);

        var sent = Assert.Single(_host.Fake.AnthropicRequests);
        Assert.Equal("You are a helpful support agent.", sent.Body["system"]!.GetValue<string>());
        var messages = sent.Body["messages"]!.AsArray();
        Assert.Single(messages);
        Assert.Equal("user", messages[0]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_500_fails_that_span_and_the_run_completes()
    {
        await _host.IngestJsonAsync(TwoLlmSpans("two-llm"));
        var run = (await Service.EstimateAsync("p1", "two-llm", Mutations("""{"l1": {"model": "gpt-4o-fail"}}"""))).Value!.Run;
        await Service.ConfirmAsync("p1", "two-llm", run.Id);
        var done = await _host.WaitForEndAsync(run.Id);

        Assert.Equal(ReplayStatus.Completed, done.Status);
        Assert.Contains("1 of 2 LLM spans failed", done.ErrorMessage);
        var diffs = ReplayJson.DeserializeDiffs(done.Diffs);
        var failed = diffs.Single(x => x.SpanId == "l1");
        Assert.Equal("error", failed.Status);
        Assert.Contains("500", failed.Error);
        Assert.Equal("ok", diffs.Single(x => x.SpanId == "l2").Status);
        await using var db = await _host.Db();
        var errorSpan = await db.Spans.SingleAsync(s => s.TraceId == done.ResultTraceId && s.Name == "first");
        Assert.Equal("error", errorSpan.Status);
        Assert.Contains("replay_error", errorSpan.Metadata);
    }

    [Fact]
    public async Task When_every_llm_span_fails_the_run_fails_cleanly_and_the_next_run_still_works()
    {
        await _host.IngestJsonAsync(TwoLlmSpans("all-fail"));
        var bad = (await Service.EstimateAsync("p1", "all-fail", Mutations("""{"l1": {"model": "gpt-4o-fail"}, "l2": {"model": "gpt-4o-fail"}}"""))).Value!.Run;
        var good = (await Service.EstimateAsync("p1", "all-fail", null)).Value!.Run;
        await Service.ConfirmAsync("p1", "all-fail", bad.Id);
        await Service.ConfirmAsync("p1", "all-fail", good.Id);

        var badDone = await _host.WaitForEndAsync(bad.Id);
        Assert.Equal(ReplayStatus.Failed, badDone.Status);
        Assert.StartsWith("All 2 LLM spans failed", badDone.ErrorMessage);
        Assert.NotNull(badDone.ResultTraceId);
        Assert.Equal(ReplayStatus.Completed, (await _host.WaitForEndAsync(good.Id)).Status);

        await using var db = await _host.Db();
        Assert.Equal(NotificationType.ReplayFailed, (await db.Notifications.SingleAsync(n => n.ReferenceId == bad.Id)).Type);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_fails_the_span_with_a_timeout()
    {
        await using var host = await ReplayTestHost.StartAsync(new() { ["Vigil:Replay:TimeoutSeconds"] = "3", ["Vigil:Replay:MaxRetries"] = "0" });
        await host.IngestJsonAsync(TwoLlmSpans("slow"));
        var service = host.Get<ReplayService>();
        var run = (await service.EstimateAsync("p1", "slow", Mutations("""{"l1": {"model": "gpt-4o-slow"}}"""))).Value!.Run;
        await service.ConfirmAsync("p1", "slow", run.Id);
        var done = await host.WaitForEndAsync(run.Id);

        Assert.Equal(ReplayStatus.Completed, done.Status);
        var d = ReplayJson.DeserializeDiffs(done.Diffs).Single(x => x.SpanId == "l1");
        Assert.Equal("error", d.Status);
        Assert.Contains("did not answer within 3 s", d.Error);
    }

    [Theory]
    // The error case gets a generous timeout: on a loaded machine an immediate 500 can take over 3 s to arrive.
    [InlineData("claude-3-5-fail", "500", 20)]
    [InlineData("claude-3-5-slow", "did not answer within 3 s", 3)]
    public async Task Anthropic_errors_and_timeouts_fail_the_span_with_a_message(string model, string expected, int timeoutSeconds)
    {
        await using var host = await ReplayTestHost.StartAsync(new()
        {
            ["Vigil:Replay:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Vigil:Replay:MaxRetries"] = "0",
        });
        await host.IngestJsonAsync(Fixtures.Read("native/python-sdk-anthropic.json"));
        var service = host.Get<ReplayService>();
        var run = (await service.EstimateAsync("p1", "anthropic-trace-1", Mutations($$$"""{"b000000000000002": {"model": "{{{model}}}"}}"""))).Value!.Run;
        await service.ConfirmAsync("p1", "anthropic-trace-1", run.Id);
        var done = await host.WaitForEndAsync(run.Id);

        Assert.Equal(ReplayStatus.Failed, done.Status);
        var d = ReplayJson.DeserializeDiffs(done.Diffs).Single(x => x.SpanId == "b000000000000002");
        Assert.Equal("error", d.Status);
        Assert.Contains(expected, d.Error);
    }

    [Fact]
    public async Task Cancel_before_running_cancels_and_confirm_is_then_refused()
    {
        await _host.IngestJsonAsync(TwoLlmSpans("cancel-early"));
        var run = (await Service.EstimateAsync("p1", "cancel-early", null)).Value!.Run;
        var cancelled = await Service.CancelAsync("p1", "cancel-early", run.Id);
        Assert.Equal(ReplayStatus.Cancelled, cancelled.Value!.Status);
        Assert.Equal(ReplayOutcomeKind.Conflict, (await Service.ConfirmAsync("p1", "cancel-early", run.Id)).Kind);
        Assert.Empty(_host.Fake.Requests);
    }

    [Fact]
    public async Task Cancel_while_running_stops_after_the_current_span()
    {
        await _host.IngestJsonAsync(TwoLlmSpans("cancel-late"));
        var run = (await Service.EstimateAsync("p1", "cancel-late", Mutations("""{"l1": {"model": "gpt-4o-block"}}"""))).Value!.Run;
        await Service.ConfirmAsync("p1", "cancel-late", run.Id);
        await _host.Fake.BlockedRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var requested = await Service.CancelAsync("p1", "cancel-late", run.Id);
        Assert.Equal(ReplayStatus.Running, requested.Value!.Status);
        _host.Fake.Release();
        var done = await _host.WaitForEndAsync(run.Id);

        Assert.Equal(ReplayStatus.Cancelled, done.Status);
        Assert.Equal(1, done.CompletedSpans);
        Assert.Single(_host.Fake.Requests);
    }

    [Fact]
    public async Task Unrebuildable_inputs_and_dangling_tool_calls_are_noted_not_fatal()
    {
        await _host.IngestJsonAsync("""
        {"spans": [
          {"span_id": "r", "trace_id": "notes", "name": "root", "kind": "agent", "start_time": "2026-03-01T10:00:00Z", "end_time": "2026-03-01T10:00:05Z"},
          {"span_id": "raw", "trace_id": "notes", "parent_span_id": "r", "name": "raw-llm", "kind": "llm", "input": {"prompt": "Hi"}, "output": {"content": "Hello"}, "start_time": "2026-03-01T10:00:01Z", "end_time": "2026-03-01T10:00:02Z"},
          {"span_id": "tools", "trace_id": "notes", "parent_span_id": "r", "name": "tool-llm", "kind": "llm",
           "input": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}]}]},
           "output": {"content": "Sunny"}, "start_time": "2026-03-01T10:00:02Z", "end_time": "2026-03-01T10:00:03Z"},
          {"span_id": "ok", "trace_id": "notes", "parent_span_id": "r", "name": "ok-llm", "kind": "llm", "input": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}, "output": {"content": "Hello"}, "start_time": "2026-03-01T10:00:03Z", "end_time": "2026-03-01T10:00:04Z"}
        ]}
        """);
        var estimate = (await Service.EstimateAsync("p1", "notes", null)).Value!;
        Assert.Equal(2, estimate.Run.LlmSpansCount); // "raw" cannot be rebuilt
        await Service.ConfirmAsync("p1", "notes", estimate.Run.Id);
        var done = await _host.WaitForEndAsync(estimate.Run.Id);

        Assert.Equal(ReplayStatus.Completed, done.Status);
        var diffs = ReplayJson.DeserializeDiffs(done.Diffs);
        Assert.Contains("cannot be rebuilt", diffs.Single(d => d.SpanId == "raw").Note);
        var tools = diffs.Single(d => d.SpanId == "tools");
        Assert.Equal("skipped", tools.Status);
        Assert.Contains("call_1", tools.Note);
        Assert.Equal("ok", diffs.Single(d => d.SpanId == "ok").Status);
        Assert.Single(_host.Fake.Requests);
    }

    [Fact]
    public async Task A_projects_own_key_wins_over_the_configured_one()
    {
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
        var status = await _host.Get<ProviderSettingsService>().UpdateAsync("p1", new ProviderSettingsUpdate(null, "sk-project-own-key"), null);
        Assert.Equal("project", status!["openai"].KeySource);
        Assert.True(status["anthropic"].Configured);
        Assert.Equal("config", status["anthropic"].KeySource);

        var run = (await Service.EstimateAsync("p1", OpenAiTrace, null)).Value!.Run;
        await Service.ConfirmAsync("p1", OpenAiTrace, run.Id);
        await _host.WaitForEndAsync(run.Id);
        Assert.Equal("Bearer sk-project-own-key", Assert.Single(_host.Fake.Requests).Authorization);
    }

    [Fact]
    public async Task Another_projects_trace_and_run_are_not_found()
    {
        await _host.Get<Vigil.Core.Projects.ProjectService>().CreateAsync("p2", "Two", null);
        await _host.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
        Assert.Equal(ReplayOutcomeKind.NotFound, (await Service.EstimateAsync("p2", OpenAiTrace, null)).Kind);
        var run = (await Service.EstimateAsync("p1", OpenAiTrace, null)).Value!.Run;
        Assert.Null(await Service.GetAsync("p2", null, run.Id));
        Assert.Equal(ReplayOutcomeKind.NotFound, (await Service.ConfirmAsync("p2", OpenAiTrace, run.Id)).Kind);
        Assert.Equal(ReplayOutcomeKind.NotFound, (await Service.CancelAsync("p2", OpenAiTrace, run.Id)).Kind);
    }

    [Fact]
    public async Task Only_spans_re_runs_just_the_chosen_llm_span_and_copies_the_rest()
    {
        await _host.IngestJsonAsync(TwoLlmSpans("only-one"));
        var estimate = (await Service.EstimateAsync("p1", "only-one", Mutations("""{"l2": {"temperature": 0.9}}"""), onlySpans: ["l2"])).Value!;
        Assert.Equal(["l2"], estimate.LlmSpans.Select(p => p.Span.SpanId));
        await Service.ConfirmAsync("p1", "only-one", estimate.Run.Id);
        var done = await _host.WaitForEndAsync(estimate.Run.Id);

        Assert.Equal(ReplayStatus.Completed, done.Status);
        var sent = Assert.Single(_host.Fake.OpenAiRequests);
        Assert.Contains("Two", sent.ToString());
        var diffs = ReplayJson.DeserializeDiffs(done.Diffs);
        Assert.True(diffs.Single(d => d.SpanId == "l2").WasExecuted);
        Assert.False(diffs.Single(d => d.SpanId == "l1").WasExecuted);
    }

    [Fact]
    public async Task Only_spans_must_name_llm_spans_of_the_trace()
    {
        await _host.IngestJsonAsync(TwoLlmSpans("only-bad"));
        var outcome = await Service.EstimateAsync("p1", "only-bad", null, onlySpans: ["root"]);
        Assert.Equal(ReplayOutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("only_spans.root", outcome.Errors!.Keys);
    }

    private static string TwoLlmSpans(string traceId) => $$$"""
        {"spans": [
          {"span_id": "root", "trace_id": "{{{traceId}}}", "name": "agent", "kind": "agent", "status": "ok", "start_time": "2026-03-01T10:00:00Z", "end_time": "2026-03-01T10:00:05Z"},
          {"span_id": "l1", "trace_id": "{{{traceId}}}", "parent_span_id": "root", "name": "first", "kind": "llm", "status": "ok",
           "input": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "One"}]},
           "output": {"content": "First answer", "model": "gpt-4o-mini", "usage": {"prompt_tokens": 10, "completion_tokens": 5}},
           "start_time": "2026-03-01T10:00:01Z", "end_time": "2026-03-01T10:00:02Z"},
          {"span_id": "l2", "trace_id": "{{{traceId}}}", "parent_span_id": "l1", "name": "second", "kind": "llm", "status": "ok",
           "input": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Two"}]},
           "output": {"content": "Second answer", "model": "gpt-4o-mini", "usage": {"prompt_tokens": 10, "completion_tokens": 5}},
           "start_time": "2026-03-01T10:00:03Z", "end_time": "2026-03-01T10:00:04Z"}
        ]}
        """;
}
