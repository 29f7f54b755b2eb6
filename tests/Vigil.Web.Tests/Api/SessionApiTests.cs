using System.Net;
using System.Text.Json.Nodes;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

/// <summary>GET /v1/sessions, /v1/users and the trace list's session and user filters, over native batches that carry them.</summary>
public class SessionApiTests : IClassFixture<VigilWebFactory>, IAsyncLifetime
{
    private readonly HttpClient _client;

    public SessionApiTests(VigilWebFactory factory) => _client = factory.ClientWithKey();

    private static string Turn(string session, string user, int turn, bool error = false) => new JsonObject
    {
        ["session_id"] = session,
        ["user_id"] = user,
        ["spans"] = new JsonArray(new JsonObject
        {
            ["span_id"] = $"{session}-{turn}", ["trace_id"] = $"{session}-turn-{turn}", ["name"] = "chat", ["kind"] = "llm",
            ["status"] = error ? "error" : "ok", ["usage"] = new JsonObject { ["input_tokens"] = 100, ["output_tokens"] = 20 * (turn + 1) },
            ["cost_usd"] = 0.01, ["start_time"] = $"2026-05-01T10:{turn:00}:00Z", ["end_time"] = $"2026-05-01T10:{turn:00}:02Z",
            ["input"] = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"question {turn}" }) },
            ["output"] = new JsonObject { ["content"] = $"answer {turn}" },
        }),
    }.ToJsonString();

    public async ValueTask InitializeAsync()
    {
        for (var turn = 0; turn < 5; turn++) Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Turn("conv-a", "alice", turn, error: turn == 3))).StatusCode);
        for (var turn = 0; turn < 2; turn++) Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Turn("conv-b", turn == 0 ? "alice" : "bob", turn))).StatusCode);
        // The Python SDK's batches (no such fields) keep working and make no session.
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync("""{"spans":[{"span_id":"p","trace_id":"plain","name":"x"}]}""")).StatusCode);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Sessions_list_with_rollups_filters_and_sorts()
    {
        var list = await (await _client.GetAsync("/v1/sessions")).JsonAsync();
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var a = list.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("session_id").GetString() == "conv-a");
        Assert.Equal(5, a.GetProperty("trace_count").GetInt32());
        Assert.Equal(1, a.GetProperty("error_count").GetInt32());
        Assert.Equal(500, a.GetProperty("input_tokens").GetInt64());
        Assert.Equal(300, a.GetProperty("output_tokens").GetInt64());
        Assert.Equal(0.05, a.GetProperty("cost_usd").GetDouble(), 9);
        Assert.Equal(["alice"], a.GetProperty("user_ids").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc), a.GetProperty("first_time").GetDateTime());
        Assert.Equal(new DateTime(2026, 5, 1, 10, 4, 2, DateTimeKind.Utc), a.GetProperty("last_time").GetDateTime());
        Assert.Equal(242_000, a.GetProperty("duration_ms").GetDouble());

        var b = await (await _client.GetAsync("/v1/sessions?user_id=bob")).JsonAsync();
        var only = Assert.Single(b.GetProperty("sessions").EnumerateArray());
        Assert.Equal(["alice", "bob"], only.GetProperty("user_ids").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("conv-a", (await (await _client.GetAsync("/v1/sessions?has_errors=true")).JsonAsync()).GetProperty("sessions")[0].GetProperty("session_id").GetString());
        Assert.Equal("conv-b", (await (await _client.GetAsync("/v1/sessions?q=B")).JsonAsync()).GetProperty("sessions")[0].GetProperty("session_id").GetString());
        Assert.Equal("conv-a", (await (await _client.GetAsync("/v1/sessions?sort=-trace_count")).JsonAsync()).GetProperty("sessions")[0].GetProperty("session_id").GetString());
        Assert.Equal("conv-b", (await (await _client.GetAsync("/v1/sessions?sort=cost_asc")).JsonAsync()).GetProperty("sessions")[0].GetProperty("session_id").GetString());
        Assert.Equal(0, (await (await _client.GetAsync("/v1/sessions?start_date=2026-06-01")).JsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_session_lists_its_traces_oldest_first()
    {
        var s = await (await _client.GetAsync("/v1/sessions/conv-a")).JsonAsync();
        Assert.Equal("conv-a", s.GetProperty("session_id").GetString());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"conv-a-turn-{i}"), s.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()));
        Assert.Equal("alice", s.GetProperty("traces")[0].GetProperty("user_id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/sessions/nope")).StatusCode);
    }

    [Fact]
    public async Task Users_list_and_detail()
    {
        var list = await (await _client.GetAsync("/v1/users?sort=-trace_count")).JsonAsync();
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var alice = list.GetProperty("users")[0];
        Assert.Equal("alice", alice.GetProperty("user_id").GetString());
        Assert.Equal(6, alice.GetProperty("trace_count").GetInt32());
        Assert.Equal(2, alice.GetProperty("session_count").GetInt32());
        Assert.Equal(1.0 / 6, alice.GetProperty("error_rate").GetDouble(), 9);

        var detail = await (await _client.GetAsync("/v1/users/alice")).JsonAsync();
        Assert.Equal(["conv-a", "conv-b"], detail.GetProperty("sessions").EnumerateArray().Select(x => x.GetProperty("session_id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/users/nobody")).StatusCode);
    }

    [Fact]
    public async Task The_trace_list_filters_by_session_and_user()
    {
        Assert.Equal(5, (await (await _client.GetAsync("/v1/traces?session_id=conv-a")).JsonAsync()).GetProperty("total").GetInt32());
        var bob = await (await _client.GetAsync("/v1/traces?user_id=bob")).JsonAsync();
        Assert.Equal("conv-b-turn-1", Assert.Single(bob.GetProperty("traces").EnumerateArray()).GetProperty("trace_id").GetString());
        Assert.Equal("conv-b", bob.GetProperty("traces")[0].GetProperty("session_id").GetString());
    }

    [Theory]
    [InlineData("/v1/sessions?sort=banana", "sort")]
    [InlineData("/v1/sessions?has_errors=maybe", "has_errors")]
    [InlineData("/v1/users?limit=500", "limit")]
    [InlineData("/v1/users?sort=session_count_desc&start_date=soon", "start_date")]
    public async Task Bad_parameters_are_400_naming_the_field(string url, string field)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_overlong_session_id_rejects_the_batch_naming_the_field()
    {
        var response = await _client.PostTracesAsync($$"""{"session_id":"{{new string('s', 257)}}","spans":[{"span_id":"x","trace_id":"long","name":"x","user_id":""}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("session_id", out _));
        Assert.True(errors.TryGetProperty("spans[0].user_id", out _));
    }
}
