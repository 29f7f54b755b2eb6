using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Vigil.Sdk.Integrations;
using Vigil.Sdk.Tests.Infrastructure;
using Vigil.Sdk.Tracing;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Vigil.Sdk.Tests.Tracing;

/// <summary>Sessions, end users and scores in the SDK: what goes on the wire.</summary>
public sealed class SessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartTrace_puts_session_and_user_on_the_root_span_only()
    {
        var (client, transport) = TestClients.Capturing();
        await using var owned = client;
        using (var trace = client.StartTrace("turn", sessionId: "conv-1", userId: "alice"))
        {
            Assert.Equal(("conv-1", "alice"), (trace.SessionId, trace.UserId));
            using (client.StartSpan("child")) { }
        }
        await client.ForceFlushAsync(Ct);

        var root = transport.Single("turn");
        Assert.Equal(("conv-1", "alice"), (root.Str("session_id"), root.Str("user_id")));
        Assert.False(transport.Single("child").TryGetProperty("session_id", out _));
    }

    [Fact]
    public async Task Ambient_session_names_every_new_trace_in_its_scope_and_an_explicit_one_wins()
    {
        var (client, transport) = TestClients.Capturing();
        await using var owned = client;
        using (VigilContext.Session("conv-2", "bob"))
        {
            using (client.StartTrace("first")) { }
            await Task.Yield();
            using (client.StartSpan("implicit-root")) { }
            using (VigilContext.Session("conv-3"))
            {
                Assert.Equal(("conv-3", "bob"), (VigilContext.CurrentSession!.SessionId, VigilContext.CurrentSession.UserId));
                using (client.StartTrace("nested")) { }
            }
            using (client.StartTrace("explicit", sessionId: "conv-x")) { }
        }
        Assert.Null(VigilContext.CurrentSession);
        using (client.StartTrace("outside")) { }
        await client.ForceFlushAsync(Ct);

        Assert.Equal(("conv-2", "bob"), (transport.Single("first").Str("session_id"), transport.Single("first").Str("user_id")));
        Assert.Equal("conv-2", transport.Single("implicit-root").Str("session_id"));
        Assert.Equal(("conv-3", "bob"), (transport.Single("nested").Str("session_id"), transport.Single("nested").Str("user_id")));
        Assert.Equal(("conv-x", "bob"), (transport.Single("explicit").Str("session_id"), transport.Single("explicit").Str("user_id")));
        Assert.Null(transport.Single("outside").Str("session_id"));
    }

    [Fact]
    public async Task Session_ids_over_the_server_limit_are_dropped_not_cut()
    {
        var (client, transport) = TestClients.Capturing();
        await using var owned = client;
        using (client.StartTrace("long", sessionId: new string('s', 257), userId: new string('u', 256))) { }
        await client.ForceFlushAsync(Ct);

        var root = transport.Single("long");
        Assert.Null(root.Str("session_id"));
        Assert.Equal(256, root.Str("user_id")!.Length);
    }

    [Fact]
    public async Task Span_scores_travel_with_the_span_as_sdk_scores_and_bad_values_are_ignored()
    {
        var (client, transport) = TestClients.Capturing();
        await using var owned = client;
        using (var span = client.StartSpan("answer", SpanKind.Llm))
        {
            span.Score("relevance", 0.8, "on topic").Score("helpful", true).Score("tone", "friendly").Score("count", 3)
                .Score("bad", new object()).Score("nan", double.NaN).Score(" ", 1);
        }
        await client.ForceFlushAsync(Ct);

        var scores = transport.Single("answer").GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal(["relevance", "helpful", "tone", "count"], scores.Select(s => s.Str("name")));
        Assert.All(scores, s => Assert.Equal("sdk", s.Str("source")));
        Assert.Equal(0.8, scores[0].GetProperty("value").GetDouble());
        Assert.Equal("on topic", scores[0].Str("comment"));
        Assert.True(scores[1].GetProperty("value").GetBoolean());
        Assert.Equal("friendly", scores[2].Str("value"));
        Assert.Equal(3, scores[3].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task ScoreAsync_sends_one_score_for_a_trace_that_already_ended()
    {
        var (client, transport) = TestClients.Capturing();
        await using var owned = client;

        Assert.True(await client.ScoreAsync("trace-1", "user_feedback", false, "wrong answer", spanId: "abc", cancellationToken: Ct));
        Assert.False(await client.ScoreAsync("trace-1", "user_feedback", new object(), cancellationToken: Ct));

        var score = Assert.Single(transport.Scores);
        Assert.Equal(("trace-1", "abc", "user_feedback", "wrong answer", "sdk"),
            (score.Str("trace_id"), score.Str("span_id"), score.Str("name"), score.Str("comment"), score.Str("source")));
        Assert.Equal(JsonValueKind.False, score.GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Chat_middleware_takes_the_conversation_id_as_session_unless_the_trace_has_one()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (vigil, transport) = TestClients.Capturing();
        await using var owned = vigil;
        var inner = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(server.Url + "/v1") }).AsIChatClient();
        using var client = new ChatClientBuilder(inner).UseVigil(vigil).Build();
        AIChatMessage[] messages = [new(AIChatRole.User, "Where is my order?")];

        using (vigil.StartTrace("plain"))
        {
            await client.GetResponseAsync(messages, new ChatOptions { ConversationId = "conv-meai" }, Ct);
        }
        using (vigil.StartTrace("named", sessionId: "conv-own"))
        {
            await client.GetResponseAsync(messages, new ChatOptions { ConversationId = "conv-meai" }, Ct);
        }
        await vigil.ForceFlushAsync(Ct);

        var chats = transport.Spans.Where(s => s.Str("name") == "chat").ToList();
        var plainRoot = transport.Single("plain").Str("span_id");
        Assert.Equal("conv-meai", chats.Single(c => c.Str("parent_span_id") == plainRoot).Str("session_id"));
        Assert.Null(chats.Single(c => c.Str("parent_span_id") != plainRoot).Str("session_id"));
        Assert.Equal("conv-own", transport.Single("named").Str("session_id"));
    }
}
