using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

public class IngestApiTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private readonly HttpClient _client = factory.ClientWithKey();

    private async Task<(int Traces, int Spans)> CountsAsync(string traceIdPrefix)
    {
        await using var db = await factory.Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
        return (await db.Traces.CountAsync(t => t.TraceId.StartsWith(traceIdPrefix)), await db.Spans.CountAsync(s => s.TraceId.StartsWith(traceIdPrefix)));
    }

    [Fact]
    public async Task Curl_example_answers_201_and_the_trace_has_rollups()
    {
        var post = await _client.PostTracesAsync("""{"spans":[{"span_id":"s1","trace_id":"readme-1","name":"llm-call","kind":"llm","status":"ok","input":{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]},"output":{"content":"Hello","usage":{"prompt_tokens":9,"completion_tokens":3}},"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:01.25Z"}]}""");
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var body = await post.JsonAsync();
        Assert.Equal("readme-1", body.GetProperty("trace_id").GetString());
        Assert.Equal(1, body.GetProperty("span_count").GetInt32());
        Assert.Equal("/v1/traces/readme-1", post.Headers.Location!.ToString());

        var trace = await (await _client.GetAsync("/v1/traces/readme-1")).JsonAsync();
        Assert.Equal("llm-call", trace.GetProperty("name").GetString());
        Assert.Equal("ok", trace.GetProperty("status").GetString());
        Assert.Equal(12, trace.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1250, trace.GetProperty("duration_ms").GetDouble());
        Assert.True(trace.GetProperty("cost_usd").GetDouble() > 0);
        var span = trace.GetProperty("spans")[0];
        Assert.Equal("gpt-4o", span.GetProperty("model").GetString());
        Assert.Equal("Hi", span.GetProperty("input").GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_batch_mixing_two_traces_creates_two_and_a_repeat_changes_no_counts()
    {
        var json = """{"spans":[{"span_id":"a","trace_id":"mix2-a","name":"A"},{"span_id":"b","trace_id":"mix2-b","name":"B"},{"span_id":"c","trace_id":"mix2-a","parent_span_id":"a"}]}""";
        var first = await (await _client.PostTracesAsync(json)).JsonAsync();
        Assert.Equal(["mix2-a", "mix2-b"], first.GetProperty("trace_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((2, 3), await CountsAsync("mix2-"));
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(json)).StatusCode);
        Assert.Equal((2, 3), await CountsAsync("mix2-"));
    }

    [Fact]
    public async Task A_span_first_sent_without_end_time_is_completed_by_the_second_send()
    {
        await _client.PostTracesAsync("""{"spans":[{"span_id":"r","trace_id":"run-1","name":"agent","kind":"agent","start_time":"2026-01-01T00:00:00Z"}]}""");
        var running = await (await _client.GetAsync("/v1/traces/run-1")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, running.GetProperty("spans")[0].GetProperty("end_time").ValueKind);
        await _client.PostTracesAsync("""{"spans":[{"span_id":"r","trace_id":"run-1","status":"ok","end_time":"2026-01-01T00:00:03Z"}]}""");
        var done = await (await _client.GetAsync("/v1/traces/run-1")).JsonAsync();
        var span = done.GetProperty("spans")[0];
        Assert.Equal(("agent", "agent", "ok", 3000d), (span.GetProperty("name").GetString(), span.GetProperty("kind").GetString(), span.GetProperty("status").GetString(), span.GetProperty("duration_ms").GetDouble()));
        Assert.Equal("2026-01-01T00:00:03Z", done.GetProperty("end_time").GetString());
    }

    [Fact]
    public async Task One_bad_span_in_ten_is_400_naming_index_and_field_and_nothing_is_written()
    {
        var spans = string.Join(",", Enumerable.Range(0, 10).Select(i => i == 4
            ? """{"span_id":"s4","trace_id":"bad10","status":"finished"}"""
            : $$"""{"span_id":"s{{i}}","trace_id":"bad10"}"""));
        var response = await _client.PostTracesAsync($$"""{"spans":[{{spans}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("spans[4].status", out _));
        Assert.Equal((0, 0), await CountsAsync("bad10"));
    }

    [Fact]
    public async Task Five_mebibytes_is_413_naming_the_limit()
    {
        var big = new string('x', 5 * 1024 * 1024);
        var response = await _client.PostAsync("/v1/traces", new StringContent("""{"spans":[{"span_id":"a","input":{"t":"BIG"}}]}""".Replace("BIG", big), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Vigil:Ingest:MaxBodyBytes", (await response.JsonAsync()).GetProperty("limit").GetString());
    }

    [Fact]
    public async Task Over_the_span_and_depth_limits_is_400_naming_the_limit()
    {
        var many = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"span_id":"s{{i}}"}"""));
        var tooMany = await _client.PostTracesAsync($$"""{"spans":[{{many}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("Vigil:Ingest:MaxSpansPerBatch", (await tooMany.JsonAsync()).GetProperty("limit").GetString());

        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        var tooDeep = await _client.PostTracesAsync("""{"spans":[{"span_id":"a","input":DEEP}]}""".Replace("DEEP", deep));
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Equal("Vigil:Ingest:MaxJsonDepth", (await tooDeep.JsonAsync()).GetProperty("limit").GetString());
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("text/plain")]
    public async Task Other_content_types_are_415(string contentType)
    {
        var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await _client.PostAsync("/v1/traces", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Malformed_json_is_400_with_problem_details()
    {
        var response = await _client.PostTracesAsync("""{"spans":[{"span_id":""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_different_project_id_in_the_body_is_403()
    {
        var response = await _client.PostTracesAsync("""{"project_id":"not-mine","spans":[{"span_id":"a","trace_id":"p403"}]}""");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal((0, 0), await CountsAsync("p403"));
    }

    [Fact]
    public async Task The_server_stays_up_after_bad_input()
    {
        var bad = await _client.PostTracesAsync("\u0000\u0001garbage");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health")).StatusCode);
    }

    /// <summary>Finding: a body that is not valid UTF-8 answered 500 (System.Text.Json checks a string's bytes only when it is read).</summary>
    [Theory]
    [InlineData("native")]
    [InlineData("otlp")]
    public async Task A_body_that_is_not_valid_UTF8_is_400_and_writes_nothing(string shape)
    {
        var json = shape == "native"
            ? "{\"spans\":[{\"span_id\":\"s1\",\"trace_id\":\"utf8-native\",\"name\":\"\xFF\"}]}"
            : "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\",\"name\":\"\xFF\"}]}]}]}";
        // Latin-1 keeps 0xFF as the single byte 0xFF: never valid in UTF-8.
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _client.PostAsync("/v1/traces", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal((0, 0), await CountsAsync("utf8-"));
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_is_400_not_500()
    {
        var response = await _client.PostTracesAsync("""{"spans":[{"span_id":"s1","trace_id":"lone-surrogate","name":"\ud800"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid Unicode", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal((0, 0), await CountsAsync("lone-surrogate"));
    }

    [Fact]
    public async Task A_cost_beyond_the_range_of_a_double_is_400_naming_the_field()
    {
        var response = await _client.PostTracesAsync("""{"spans":[{"span_id":"s1","trace_id":"huge-cost","cost_usd":1e400}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("spans[0].cost_usd", out _));
    }
}
