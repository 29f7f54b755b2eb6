using System.Net;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

public class TraceApiTests : IClassFixture<VigilWebFactory>, IAsyncLifetime
{
    private readonly VigilWebFactory _factory;
    private readonly HttpClient _client;

    public TraceApiTests(VigilWebFactory factory)
    {
        _factory = factory;
        _client = factory.ClientWithKey();
    }

    public async ValueTask InitializeAsync()
    {
        foreach (var f in new[] { "native/python-sdk-openai.json", "native/python-sdk-anthropic.json", "native/mixed-traces.json" })
            Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Fixtures.Read(f))).StatusCode);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Lists_with_filters_paging_and_sort()
    {
        var page = await (await _client.GetAsync("/v1/traces?limit=2&offset=0")).JsonAsync();
        Assert.True(page.GetProperty("total").GetInt32() >= 4);
        Assert.Equal(2, page.GetProperty("traces").GetArrayLength());
        Assert.Equal(2, page.GetProperty("limit").GetInt32());

        var errors = await (await _client.GetAsync("/v1/traces?status=error&name=summarize")).JsonAsync();
        Assert.Equal("anthropic-trace-1", Assert.Single(errors.GetProperty("traces").EnumerateArray()).GetProperty("trace_id").GetString());

        var search = await (await _client.GetAsync("/v1/traces?q=Forgot%20password")).JsonAsync();
        Assert.Equal(1, search.GetProperty("total").GetInt32());

        var dated = await (await _client.GetAsync("/v1/traces?start_date=2026-03-02&end_date=2026-03-03")).JsonAsync();
        Assert.Equal(2, dated.GetProperty("total").GetInt32());

        var byCost = await (await _client.GetAsync("/v1/traces?sort=-cost")).JsonAsync();
        Assert.Equal("anthropic-trace-1", byCost.GetProperty("traces")[0].GetProperty("trace_id").GetString());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("status=weird", "status")]
    [InlineData("start_date=yesterday", "start_date")]
    [InlineData("sort=banana", "sort")]
    public async Task Bad_query_parameters_are_400_naming_the_field(string query, string field)
    {
        var response = await _client.GetAsync($"/v1/traces?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Missing_trace_is_404_problem()
    {
        var response = await _client.GetAsync("/v1/traces/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Patch_merges_metadata_and_sets_status()
    {
        await _client.PostTracesAsync("""{"spans":[{"span_id":"p","trace_id":"to-patch","status":"ok"}]}""");
        var response = await _client.PatchAsync("/v1/traces/to-patch", Fixtures.Json("""{"status":"error","metadata":{"reviewed":true}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = await response.JsonAsync();
        Assert.Equal("error", trace.GetProperty("status").GetString());
        Assert.True(trace.GetProperty("metadata").GetProperty("reviewed").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PatchAsync("/v1/traces/to-patch", Fixtures.Json("""{"status":"done"}"""))).StatusCode);
    }

    [Fact]
    public async Task Events_are_appended_to_a_span()
    {
        var response = await _client.PostAsync("/v1/traces/mixed-a/events/m3", Fixtures.Json("""{"name":"user_feedback","attributes":{"score":5}}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trace = await (await _client.GetAsync("/v1/traces/mixed-a")).JsonAsync();
        var span = trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("span_id").GetString() == "m3");
        Assert.Equal("user_feedback", span.GetProperty("events")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync("/v1/traces/mixed-a/events/m3", Fixtures.Json("""{"attributes":{}}"""))).StatusCode);
    }

    [Fact]
    public async Task A_NUL_character_in_an_event_or_a_patch_is_stored_not_a_500()
    {
        // Found by the API body fuzzer on PostgreSQL: jsonb and text cannot hold U+0000 (SQLite stores it as sent).
        var added = await _client.PostAsync("/v1/traces/mixed-b/events/m2", Fixtures.Json("""{"name":"nul\u0000name","attributes":{"k\u0000":"v\u0000"}}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var patched = await _client.PatchAsync("/v1/traces/mixed-b", Fixtures.Json("""{"metadata":{"note\u0000":"a\u0000b"}}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var trace = await (await _client.GetAsync("/v1/traces/mixed-b")).JsonAsync();
        var span = trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("span_id").GetString() == "m2");
        var names = span.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains(names, n => n is "nul\0name" or "nul\uFFFDname"); // SQLite keeps U+0000; PostgreSQL stores U+FFFD
    }

    [Fact]
    public async Task Spans_are_listed_with_filters()
    {
        var llm = await (await _client.GetAsync("/v1/spans?kind=llm")).JsonAsync();
        Assert.Equal(3, llm.GetProperty("total").GetInt32());
        Assert.All(llm.GetProperty("spans").EnumerateArray(), s => Assert.Equal("llm", s.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/v1/spans?kind=robot")).StatusCode);
    }

    [Fact]
    public async Task Health_ready_and_openapi_are_served()
    {
        var anonymous = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal("ready", (await (await anonymous.GetAsync("/ready")).JsonAsync()).GetProperty("status").GetString());
        var doc = await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync();
        Assert.True(doc.GetProperty("paths").TryGetProperty("/v1/traces", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/v1/traces/{traceId}", out _));
    }

    [Fact]
    public async Task The_dashboard_home_page_renders_real_data()
    {
        // A trace whose name and model appear nowhere else: the page must have read them from the database. Its own
        // project, so the other tests of this class count only their fixtures.
        var home = _factory.ClientWithKey(await _factory.CreateProjectAsync("home-page"));
        var posted = await home.PostTracesAsync("""
            {"spans":[{"span_id":"home-1","trace_id":"home-page-trace","name":"home-page-agent-7f3","kind":"llm","status":"error",
              "input":{"model":"home-model-x9"},"output":{"usage":{"prompt_tokens":1200,"completion_tokens":34}}}]}
            """);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        // Pages need a signed-in user (the API key opens the API only).
        var html = await (await _factory.SignedInClientAsync()).GetStringAsync("/?project=home-page");
        Assert.Contains("data-testid=\"recent-traces\"", html);
        Assert.Contains("home-page-agent-7f3", html);
        Assert.Contains("home-page-trace", html);
        Assert.Contains("home-model-x9", html);
        Assert.Contains("data-testid=\"stat-traces\"", html);
    }
}
