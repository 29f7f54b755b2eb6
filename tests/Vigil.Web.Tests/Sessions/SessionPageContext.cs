using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Ingest;
using Vigil.Web.Charts;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Sessions;

/// <summary>
/// A bUnit context over real storage with two conversations: alice's three-turn "conv-a" and bob's "conv-b" whose second
/// turn failed, plus one trace in no session.
/// </summary>
public abstract class SessionPageContext : VigilComponentTest
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    protected readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-30);

    protected SessionPageContext() => Services.AddChartRenderer();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await TurnAsync("a1", "conv-a", "alice", 0, "What is the capital of France?", "Paris.");
        await TurnAsync("a2", "conv-a", "alice", 60, "And of Italy?", "Rome.");
        await TurnAsync("a3", "conv-a", "alice", 120, "Which is bigger?", "Paris has more people.");
        await TurnAsync("b1", "conv-b", "bob", 30, "Book a table", "For how many?");
        await TurnAsync("b2", "conv-b", "bob", 90, "Four", null);
        await TurnAsync("lone", null, null, 10, "Hello", "Hi.");
    }

    /// <summary>One turn: a root span carrying the user's text and an LLM call given the chat; a null answer makes the call fail.</summary>
    protected async Task TurnAsync(string traceId, string? session, string? user, int second, string question, string? answer)
    {
        string T(int s) => Start.AddSeconds(s).ToString("O");
        var llm = new JsonObject
        {
            ["span_id"] = traceId + "-llm", ["trace_id"] = traceId, ["parent_span_id"] = traceId + "-root", ["name"] = "chat", ["kind"] = "llm",
            ["model"] = "gpt-4o-mini", ["status"] = answer is null ? "error" : "ok",
            ["input"] = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }) },
            ["usage"] = new JsonObject { ["input_tokens"] = 40, ["output_tokens"] = 12 }, ["cost_usd"] = 0.0005,
            ["start_time"] = T(second), ["end_time"] = T(second + 2),
        };
        if (answer is not null) llm["output"] = new JsonObject { ["content"] = answer };
        else llm["metadata"] = new JsonObject { ["error"] = "upstream timeout" };
        var root = new JsonObject
        {
            ["span_id"] = traceId + "-root", ["trace_id"] = traceId, ["name"] = "turn", ["kind"] = "agent", ["status"] = answer is null ? "error" : "ok",
            ["input"] = new JsonObject { ["message"] = question }, ["start_time"] = T(second), ["end_time"] = T(second + 3),
        };
        if (session is not null) root["session_id"] = session;
        if (user is not null) root["user_id"] = user;
        var json = new JsonObject { ["spans"] = new JsonArray(root, llm) }.ToJsonString();
        var result = await Get<IngestService>().IngestAsync("p1", NativeBatchParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions()), IngestMode.AllOrNothing);
        Assert.Empty(result.Errors);
    }

    protected T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected void NavigateTo(string url) => Get<NavigationManager>().NavigateTo(url);
}
