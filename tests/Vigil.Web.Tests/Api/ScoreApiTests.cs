using System.Net;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

/// <summary>POST/GET/DELETE /v1/scores, scores in the trace detail, scores sent with spans, and the trace list's score filter.</summary>
public class ScoreApiTests : IClassFixture<VigilWebFactory>, IAsyncLifetime
{
    private readonly VigilWebFactory _factory;
    private readonly HttpClient _client;

    public ScoreApiTests(VigilWebFactory factory)
    {
        _factory = factory;
        _client = factory.ClientWithKey();
    }

    public async ValueTask InitializeAsync()
    {
        foreach (var id in new[] { "good", "bad", "unscored" })
            Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync($$"""{"spans":[{"span_id":"root","trace_id":"{{id}}","name":"answer","kind":"llm"}]}""")).StatusCode);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<System.Text.Json.JsonElement> PostAsync(string json)
    {
        var response = await _client.PostAsync("/v1/scores", Fixtures.Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Numbers_booleans_and_categories_round_trip_and_show_on_the_trace()
    {
        var n = await PostAsync("""{"trace_id":"good","name":"helpfulness","value":0.9,"comment":"clear"}""");
        Assert.True(n.GetProperty("id").GetInt64() > 0);
        Assert.Equal(0.9, n.GetProperty("value").GetDouble());
        Assert.Equal("api", n.GetProperty("source").GetString());
        Assert.Equal("numeric", n.GetProperty("data_type").GetString());
        var b = await PostAsync("""{"trace_id":"good","span_id":"root","name":"thumbs","value":true,"source":"annotation"}""");
        Assert.True(b.GetProperty("value").GetBoolean());
        var c = await PostAsync("""{"trace_id":"good","name":"topic","value":"billing"}""");
        Assert.Equal("billing", c.GetProperty("value").GetString());

        var trace = await (await _client.GetAsync("/v1/traces/good")).JsonAsync();
        // Other tests of the class score this trace too (in any order): keep the names this one sent.
        var scores = trace.GetProperty("scores").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() is "helpfulness" or "thumbs" or "topic").ToList();
        Assert.Equal(["helpfulness", "thumbs", "topic"], scores.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("root", scores[1].GetProperty("span_id").GetString());
        Assert.Equal("clear", scores[0].GetProperty("comment").GetString());
        foreach (var field in new[] { "id", "trace_id", "span_id", "name", "value", "comment", "source", "created_at" })
            Assert.True(scores[0].TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task A_score_may_arrive_before_its_trace()
    {
        await PostAsync("""{"trace_id":"later","name":"feedback","value":false}""");
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync("""{"spans":[{"span_id":"s","trace_id":"later","name":"late"}]}""")).StatusCode);
        var trace = await (await _client.GetAsync("/v1/traces/later")).JsonAsync();
        Assert.False(Assert.Single(trace.GetProperty("scores").EnumerateArray()).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task List_filters_and_delete()
    {
        var s = await PostAsync("""{"trace_id":"bad","name":"to-delete","value":1,"source":"sdk"}""");
        var list = await (await _client.GetAsync("/v1/scores?trace_id=bad&name=to-delete&source=sdk")).JsonAsync();
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/scores/{s.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/v1/scores/{s.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(0, (await (await _client.GetAsync("/v1/scores?trace_id=bad&name=to-delete")).JsonAsync()).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"name":"x","value":1}""", "trace_id")]
    [InlineData("""{"trace_id":"good","value":1}""", "name")]
    [InlineData("""{"trace_id":"good","name":"x"}""", "value")]
    [InlineData("""{"trace_id":"good","name":"x","value":{"a":1}}""", "value")]
    [InlineData("""{"trace_id":"good","name":"x","value":1,"source":"robot"}""", "source")]
    public async Task Invalid_scores_are_400_naming_the_field(string json, string field)
    {
        var response = await _client.PostAsync("/v1/scores", Fixtures.Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_trace_list_filters_on_scores()
    {
        await PostAsync("""{"trace_id":"good","name":"quality","value":0.8}""");
        await PostAsync("""{"trace_id":"bad","name":"quality","value":0.2}""");
        await PostAsync("""{"trace_id":"bad","name":"verdict","value":"wrong"}""");
        async Task<string[]> Ids(string filter) => (await (await _client.GetAsync("/v1/traces?" + filter)).JsonAsync())
            .GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()!).Order().ToArray();
        Assert.Equal(new[] { "good" }, await Ids("score=quality>=0.5"));
        Assert.Equal(new[] { "bad" }, await Ids("score=quality<0.5"));
        Assert.Equal(new[] { "bad", "good" }, await Ids("score=quality"));
        Assert.Equal(new[] { "bad" }, await Ids("score=verdict=wrong&score=quality!=0.8"));
        Assert.Empty(await Ids("score=verdict!=wrong"));
        var bad = await _client.GetAsync("/v1/traces?score=quality>>1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("score", out _));
    }

    [Fact]
    public async Task Scores_sent_with_spans_are_stored_once_per_span_and_name()
    {
        const string batch = """{"spans":[{"span_id":"j","trace_id":"judged","name":"answer","scores":[{"name":"relevance","value":0.7,"comment":"ok"}]}]}""";
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(batch)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(batch.Replace("0.7", "0.75"))).StatusCode);
        var trace = await (await _client.GetAsync("/v1/traces/judged")).JsonAsync();
        var score = Assert.Single(trace.GetProperty("scores").EnumerateArray());
        Assert.Equal(("j", "sdk", 0.75), (score.GetProperty("span_id").GetString(), score.GetProperty("source").GetString(), score.GetProperty("value").GetDouble()));

        var invalid = await _client.PostTracesAsync("""{"spans":[{"span_id":"k","trace_id":"judged","name":"x","scores":[{"value":[1]}]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("spans[0].scores[0].name", out _));
        Assert.True(errors.TryGetProperty("spans[0].scores[0].value", out _));
    }
}
