using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Replay;

public class ReplayEndpointTests(ReplayWebFixture fixture) : IClassFixture<ReplayWebFixture>
{
    private const string OpenAiTrace = "9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001";
    private const string LlmSpan = "a1b2c3d4e5f60003";

    private async Task<HttpClient> ClientWithTracesAsync()
    {
        var client = fixture.Factory.ClientWithKey();
        Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync(Fixtures.Read("native/python-sdk-openai.json"))).StatusCode);
        return client;
    }

    [Fact]
    public async Task Estimate_confirm_status_and_diff_through_the_api()
    {
        var client = await ClientWithTracesAsync();
        var response = await client.EstimateAsync(OpenAiTrace, $$$"""{"{{{LlmSpan}}}": {"model": "gpt-4o", "temperature": 0.7, "max_tokens": 64}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var estimate = await response.JsonAsync();
        var runId = estimate.GetProperty("replay_run_id").GetString()!;
        Assert.Equal(OpenAiTrace, estimate.GetProperty("original_trace_id").GetString());
        Assert.Equal("estimating", estimate.GetProperty("status").GetString());
        Assert.Equal(1, estimate.GetProperty("llm_spans_count").GetInt32());
        Assert.True(estimate.GetProperty("estimated_cost_usd").GetDouble() > 0);
        var span = estimate.GetProperty("llm_spans")[0];
        Assert.Equal(LlmSpan, span.GetProperty("span_id").GetString());
        Assert.Equal("gpt-4o", span.GetProperty("model").GetString());
        Assert.Equal("openai", span.GetProperty("provider").GetString());

        var confirm = await client.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/confirm", null);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal("confirmed", (await confirm.JsonAsync()).GetProperty("status").GetString());

        var run = await client.WaitForEndAsync(OpenAiTrace, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        foreach (var field in new[] { "id", "original_trace_id", "config", "estimated_cost_usd", "actual_cost_usd", "llm_spans_count", "result_trace_id", "error_message", "created_at", "progress" })
            Assert.True(run.TryGetProperty(field, out _), field);
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
        Assert.Equal(0.7, run.GetProperty("config").GetProperty("mutations").GetProperty(LlmSpan).GetProperty("temperature").GetDouble());

        Assert.Contains(fixture.Fake.OpenAiRequests, r => r.Body["model"]!.GetValue<string>() == "gpt-4o"
            && r.Body["temperature"]!.GetValue<double>() == 0.7 && r.Body["max_tokens"]!.GetValue<int>() == 64);

        var resultTraceId = run.GetProperty("result_trace_id").GetString()!;
        var resultTrace = await client.GetFromJsonAsync<JsonElement>($"/v1/traces/{resultTraceId}");
        Assert.Equal(OpenAiTrace, resultTrace.GetProperty("replay_of").GetString());
        Assert.Equal(3, resultTrace.GetProperty("spans").GetArrayLength());

        var diff = await client.GetFromJsonAsync<JsonElement>($"/v1/traces/{OpenAiTrace}/replay/{runId}/diff");
        Assert.Equal(resultTraceId, diff.GetProperty("result_trace_id").GetString());
        var entry = diff.GetProperty("diffs").EnumerateArray().Single(d => d.GetProperty("span_id").GetString() == LlmSpan);
        foreach (var field in new[] { "span_name", "original_input", "mutated_input", "original_output", "new_output", "was_executed", "note",
                     "input_diff", "output_diff", "tokens_delta", "cost_delta_usd", "latency_delta_ms", "status", "error" })
            Assert.True(entry.TryGetProperty(field, out _), field);
        Assert.True(entry.GetProperty("was_executed").GetBoolean());
        Assert.Equal("gpt-4o", entry.GetProperty("mutated_input").GetProperty("model").GetString());
        Assert.Contains(entry.GetProperty("output_diff").EnumerateArray(), s => s.GetProperty("op").GetString() == "insert");

        // The diff page (prerendered) shows both traces, marks the changed span and renders its word diff.
        var browser = await fixture.Factory.SignedInClientAsync();
        var page = await browser.GetStringAsync($"/replays/{runId}?project={VigilWebFactory.ProjectId}");
        Assert.Contains("data-testid=\"changed-chip\"", page);
        Assert.Contains("diff-insert", page);
        Assert.Contains("diff-delete", page);
        Assert.Contains(resultTraceId, page);
        Assert.Contains(runId, await browser.GetStringAsync($"/replays?project={VigilWebFactory.ProjectId}"));

        var list = await client.GetFromJsonAsync<JsonElement>("/v1/replays");
        Assert.Contains(list.GetProperty("replays").EnumerateArray(), r => r.GetProperty("id").GetString() == runId);
    }

    [Theory]
    [InlineData("""{"nope": {"model": "gpt-4o"}}""", "mutations.nope")]
    [InlineData("""{"a1b2c3d4e5f60003": {"temperature": "hot"}}""", "mutations.a1b2c3d4e5f60003.temperature")]
    [InlineData("""{"a1b2c3d4e5f60003": {"max_tokens": -1}}""", "mutations.a1b2c3d4e5f60003.max_tokens")]
    [InlineData("""{"a1b2c3d4e5f60003": {"provider": "google"}}""", "mutations.a1b2c3d4e5f60003.provider")]
    [InlineData("""{"a1b2c3d4e5f60002": {"model": "gpt-4o"}}""", "mutations.a1b2c3d4e5f60002")]
    [InlineData("""["not", "an", "object"]""", "mutations")]
    public async Task Bad_mutations_answer_400_naming_the_field(string mutations, string field)
    {
        var client = await ClientWithTracesAsync();
        var response = await client.EstimateAsync(OpenAiTrace, mutations);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Another_projects_trace_and_run_answer_404()
    {
        var client = await ClientWithTracesAsync();
        var runId = (await (await client.EstimateAsync(OpenAiTrace)).JsonAsync()).GetProperty("replay_run_id").GetString();
        var other = fixture.Factory.ClientWithKey(await fixture.Factory.CreateProjectAsync($"other-{Guid.NewGuid():N}"[..20]));

        Assert.Equal(HttpStatusCode.NotFound, (await other.EstimateAsync(OpenAiTrace)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/diff")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/cancel", null)).StatusCode);
        Assert.DoesNotContain(runId!, await other.GetStringAsync("/v1/replays"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.ClientWithKey(null).GetAsync("/v1/replays")).StatusCode);
    }

    [Fact]
    public async Task Cancel_before_running_then_confirm_is_a_conflict()
    {
        var client = await ClientWithTracesAsync();
        var runId = (await (await client.EstimateAsync(OpenAiTrace)).JsonAsync()).GetProperty("replay_run_id").GetString();
        var cancel = await client.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task A_provider_error_marks_the_span_failed_and_the_run_fails_cleanly()
    {
        var client = await ClientWithTracesAsync();
        var runId = (await (await client.EstimateAsync(OpenAiTrace, $$$"""{"{{{LlmSpan}}}": {"model": "gpt-4o-fail"}}""")).JsonAsync()).GetProperty("replay_run_id").GetString()!;
        await client.PostAsync($"/v1/traces/{OpenAiTrace}/replay/{runId}/confirm", null);
        var run = await client.WaitForEndAsync(OpenAiTrace, runId);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("All 1 LLM spans failed", run.GetProperty("error_message").GetString());
        var diff = await client.GetFromJsonAsync<JsonElement>($"/v1/traces/{OpenAiTrace}/replay/{runId}/diff");
        var entry = diff.GetProperty("diffs").EnumerateArray().Single(d => d.GetProperty("span_id").GetString() == LlmSpan);
        Assert.Equal("error", entry.GetProperty("status").GetString());
        Assert.Contains("500", entry.GetProperty("error").GetString());
        // The server is fine.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
