using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Vigil.Sdk.Tests.Infrastructure;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Tests.Export;

/// <summary>The real Vigil.Web on a Kestrel socket over a temp SQLite file; the SDK exports over HTTP.</summary>
public sealed class RealServerFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "vgl_sdk_tests_key_0123456789abcdef";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-sdk-tests", Guid.NewGuid().ToString("N"));

    public RealServerFactory()
    {
        Directory.CreateDirectory(_dir);
        UseKestrel(0);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Vigil", $"Data Source={Path.Combine(_dir, "vigil.db")}");
        builder.UseSetting("Vigil:Init:ProjectId", "sdk-tests");
        builder.UseSetting("Vigil:Init:ApiKey", ApiKey);
        // No OTLP/gRPC endpoint: its default port (4317) is for a real run, never for a test host.
        builder.UseSetting("Vigil:Otlp:GrpcEndpoint", "");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

public sealed class RealServerTests(RealServerFactory factory) : IClassFixture<RealServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Spans_exported_by_the_sdk_are_stored_by_the_real_server()
    {
        var baseAddress = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await using var vigil = new VigilClient(new VigilOptions
        {
            Endpoint = baseAddress,
            ApiKey = RealServerFactory.ApiKey,
            ProjectId = "sdk-tests",
            FlushInterval = TimeSpan.FromMilliseconds(20),
        });

        string traceId;
        using (var trace = vigil.StartTrace("real-agent", input: new { question = "hi" }))
        {
            traceId = trace.TraceId;
            using (var tool = vigil.StartSpan("lookup", SpanKind.Tool, new { id = 1 }))
            {
                tool.SetOutput(new { found = true });
            }
            vigil.LogLlmCall("gpt-4o", new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } },
                new { content = "hello", model = "gpt-4o", usage = new { prompt_tokens = 3, completion_tokens = 1 } }, 3, 1, "openai");
            try { await vigil.SpanAsync<int>("broken", () => throw new InvalidOperationException("nope")); } catch (InvalidOperationException) { }
        }
        await vigil.ForceFlushAsync(Ct);
        Assert.Equal(4, vigil.Stats.Exported);
        Assert.Equal(0, vigil.Stats.Rejected);

        using var http = new HttpClient { BaseAddress = new Uri(baseAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RealServerFactory.ApiKey);
        using var response = await http.GetAsync($"/v1/traces/{traceId}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        var spans = doc.RootElement.GetProperty("spans").EnumerateArray().ToDictionary(s => s.Str("name")!, s => s.Clone());

        Assert.Equal(4, spans.Count);
        var root = spans["real-agent"];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent_span_id").ValueKind);
        Assert.Equal("hi", root.GetProperty("input").GetProperty("question").GetString());
        Assert.Equal("tool", spans["lookup"].Str("kind"));
        Assert.Equal("ok", spans["lookup"].Str("status"));
        Assert.Equal(root.Str("span_id"), spans["lookup"].Str("parent_span_id"));
        Assert.True(spans["lookup"].GetProperty("output").GetProperty("found").GetBoolean());
        Assert.Equal("llm", spans["llm"].Str("kind"));
        Assert.Equal("gpt-4o", spans["llm"].Str("model"));
        Assert.Equal("hello", spans["llm"].GetProperty("output").Str("content"));
        Assert.Equal("error", spans["broken"].Str("status"));
        Assert.Equal(root.Str("span_id"), spans["broken"].Str("parent_span_id"));
    }
}

/// <summary>A conversation sent through the SDK becomes one session on the real server; SDK scores show on its traces.</summary>
public sealed class RealServerSessionTests(RealServerFactory factory) : IClassFixture<RealServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Five_turns_make_one_session_in_order_and_span_and_later_scores_show_on_the_trace()
    {
        var baseAddress = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await using var vigil = new VigilClient(new VigilOptions
        {
            Endpoint = baseAddress, ApiKey = RealServerFactory.ApiKey, ProjectId = "sdk-tests", FlushInterval = TimeSpan.FromMilliseconds(20),
        });
        var traceIds = new List<string>();
        using (VigilContext.Session("sdk-conv", "sdk-user"))
        {
            for (var turn = 1; turn <= 5; turn++)
            {
                using var trace = vigil.StartTrace("chat-turn", input: new { message = $"question {turn}" });
                traceIds.Add(trace.TraceId);
                using (var llm = vigil.StartSpan("llm", SpanKind.Llm))
                {
                    llm.SetOutput(new { content = $"answer {turn}" });
                    if (turn == 2) llm.Score("groundedness", 0.9, "cites the docs");
                }
                await Task.Delay(5, Ct); // distinct start times
            }
        }
        await vigil.ForceFlushAsync(Ct);
        Assert.True(await vigil.ScoreAsync(traceIds[1], "user_feedback", true, "thanks!", cancellationToken: Ct));

        using var http = new HttpClient { BaseAddress = new Uri(baseAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RealServerFactory.ApiKey);
        using var session = JsonDocument.Parse(await http.GetStringAsync("/v1/sessions/sdk-conv", Ct));
        Assert.Equal(5, session.RootElement.GetProperty("trace_count").GetInt32());
        Assert.Equal(["sdk-user"], session.RootElement.GetProperty("user_ids").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(traceIds, session.RootElement.GetProperty("traces").EnumerateArray().Select(t => t.Str("trace_id")));

        using var trace2 = JsonDocument.Parse(await http.GetStringAsync($"/v1/traces/{traceIds[1]}", Ct));
        var scores = trace2.RootElement.GetProperty("scores").EnumerateArray().ToDictionary(s => s.Str("name")!, s => s.Clone());
        Assert.Equal(0.9, scores["groundedness"].GetProperty("value").GetDouble());
        Assert.Equal(("sdk", "cites the docs"), (scores["groundedness"].Str("source"), scores["groundedness"].Str("comment")));
        Assert.NotNull(scores["groundedness"].Str("span_id"));
        Assert.True(scores["user_feedback"].GetProperty("value").GetBoolean());
        Assert.Equal(("sdk", (string?)null), (scores["user_feedback"].Str("source"), scores["user_feedback"].Str("span_id")));
    }
}
