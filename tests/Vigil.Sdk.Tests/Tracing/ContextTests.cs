using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Sdk.Tests.Infrastructure;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Tests.Tracing;

public sealed class ContextTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nested_spans_follow_async_calls_and_restore_the_parent()
    {
        var (client, transport) = TestClients.Capturing();
        await using var _ = client;
        string traceId;
        using (var trace = client.StartTrace("agent-run", new Dictionary<string, object?> { ["user"] = "u1" }))
        {
            traceId = trace.TraceId;
            using (var agent = client.StartSpan("agent", SpanKind.Agent))
            {
                await Task.Yield();
                using (var retriever = client.StartSpan("retrieve", SpanKind.Retriever, new { query = "refund" }))
                {
                    await Task.Delay(1, Ct);
                    Assert.Same(retriever, VigilClient.CurrentSpan);
                    retriever.SetOutput(new { docs = new[] { "a", "b" } });
                }
                Assert.Same(agent, VigilClient.CurrentSpan);
            }
            Assert.Same(trace.Root, VigilClient.CurrentSpan);
            Assert.Same(trace, VigilClient.CurrentTrace);
        }
        Assert.Null(VigilClient.CurrentSpan);
        await client.ForceFlushAsync(Ct);

        var root = transport.Single("agent-run");
        var agentJson = transport.Single("agent");
        var retrieverJson = transport.Single("retrieve");
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent_span_id").ValueKind);
        Assert.Equal("chain", root.Str("kind"));
        Assert.Equal("u1", root.GetProperty("metadata").GetProperty("user").GetString());
        Assert.Equal(root.Str("span_id"), agentJson.Str("parent_span_id"));
        Assert.Equal(agentJson.Str("span_id"), retrieverJson.Str("parent_span_id"));
        Assert.All(transport.Spans, s => Assert.Equal(traceId, s.Str("trace_id")));
        Assert.Equal("retriever", retrieverJson.Str("kind"));
        Assert.Equal("refund", retrieverJson.GetProperty("input").GetProperty("query").GetString());
        Assert.Equal(2, retrieverJson.GetProperty("output").GetProperty("docs").GetArrayLength());
    }

    [Fact]
    public async Task Parallel_branches_get_their_own_parent()
    {
        var (client, transport) = TestClients.Capturing();
        await using var _ = client;
        await client.TraceAsync("fan-out", async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.SpanAsync($"branch-{i}", async () =>
            {
                await Task.Delay(5 * (4 - i), Ct);   // end in reverse order of start
                return await client.SpanAsync($"leaf-{i}", async () => { await Task.Yield(); return i; }, SpanKind.Tool);
            }, SpanKind.Chain)));
            return "done";
        });
        await client.ForceFlushAsync(Ct);

        var root = transport.Single("fan-out");
        Assert.Equal("done", root.GetProperty("output").GetProperty("value").GetString());
        for (var i = 0; i < 4; i++)
        {
            var branch = transport.Single($"branch-{i}");
            var leaf = transport.Single($"leaf-{i}");
            Assert.Equal(root.Str("span_id"), branch.Str("parent_span_id"));
            Assert.Equal(branch.Str("span_id"), leaf.Str("parent_span_id"));
            Assert.Equal(i, leaf.GetProperty("output").GetProperty("value").GetInt32());
            Assert.Equal("tool", leaf.Str("kind"));
        }
    }

    [Fact]
    public async Task Exceptions_are_recorded_rethrown_and_mark_the_span_as_error()
    {
        var (client, transport) = TestClients.Capturing();
        await using var _ = client;
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.TraceAsync("failing", async () =>
        {
            await client.SpanAsync("ok-step", () => Task.FromResult(1));
            await client.SpanAsync<int>("bad-step", () => throw new InvalidOperationException("boom"), SpanKind.Tool);
            return 0;
        }));
        await client.ForceFlushAsync(Ct);

        Assert.Equal("ok", transport.Single("ok-step").Str("status"));
        var bad = transport.Single("bad-step");
        Assert.Equal("error", bad.Str("status"));
        var evt = bad.GetProperty("events").EnumerateArray().Single();
        Assert.Equal("exception", evt.Str("name"));
        Assert.Equal("boom", evt.GetProperty("attributes").GetProperty("exception.message").GetString());
        Assert.Equal("error", transport.Single("failing").Str("status"));
    }

    [Fact]
    public async Task Convenience_methods_record_llm_and_tool_calls_events_and_metadata()
    {
        var (client, transport) = TestClients.Capturing();
        await using var _ = client;
        using (client.StartTrace("conv"))
        {
            client.LogEvent("cache_miss", new Dictionary<string, object?> { ["key"] = "k" });
            client.AttachMetadata("tenant", "acme");
            client.LogLlmCall("gpt-4o", new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } },
                new { content = "hello" }, inputTokens: 5, outputTokens: 2, provider: "openai");
            client.LogToolCall("lookup_order", new { id = 7 }, new { status = "shipped" });
            VigilClient.CurrentSpan!.SetStatus(SpanStatus.Error, "custom failure");
        }
        await client.ForceFlushAsync(Ct);

        var root = transport.Single("conv");
        Assert.Equal("cache_miss", root.GetProperty("events")[0].Str("name"));
        Assert.Equal("acme", root.GetProperty("metadata").GetProperty("tenant").GetString());
        Assert.Equal("error", root.Str("status"));
        var llm = transport.Single("llm");
        Assert.Equal("llm", llm.Str("kind"));
        Assert.Equal("gpt-4o", llm.Str("model"));
        Assert.Equal("openai", llm.Str("provider"));
        Assert.Equal(5, llm.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(root.Str("span_id"), llm.Str("parent_span_id"));
        var tool = transport.Single("lookup_order");
        Assert.Equal("tool", tool.Str("kind"));
        Assert.Equal("shipped", tool.GetProperty("output").GetProperty("status").GetString());
    }

    public interface ISupportAgent
    {
        [Trace(Name = "support-agent")]
        Task<string> AnswerAsync(string question, CancellationToken cancellationToken);

        [Span(Kind = SpanKind.Retriever)]
        ValueTask<string[]> SearchAsync(string query);

        [Span(Kind = SpanKind.Tool, Name = "refund")]
        int Refund(int orderId);

        [Span(Kind = SpanKind.Llm)]
        Task SlowAsync();

        [Span]
        ValueTask FailAsync();

        string Plain();
    }

    private sealed class SupportAgent : ISupportAgent
    {
        public ISupportAgent Self { get; set; } = null!;

        public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken)
        {
            var docs = await Self.SearchAsync(question);
            var refunded = Self.Refund(42);
            await Self.SlowAsync();
            return $"{docs.Length} docs, refund {refunded}";
        }

        public async ValueTask<string[]> SearchAsync(string query) { await Task.Yield(); return ["doc1", "doc2"]; }
        public int Refund(int orderId) => orderId * 2;
        public Task SlowAsync() => Task.Delay(1);
        public async ValueTask FailAsync() { await Task.Yield(); throw new TimeoutException("tool timed out"); }
        public string Plain() => "plain";
    }

    [Fact]
    public async Task Attribute_proxy_produces_trace_and_spans_with_parents_kinds_inputs_and_outputs()
    {
        var (client, transport) = TestClients.Capturing();
        await using var _ = client;
        var impl = new SupportAgent();
        var agent = VigilProxy.Create<ISupportAgent>(impl, client);
        impl.Self = agent;

        var answer = await agent.AnswerAsync("where is my order?", Ct);
        Assert.Equal("2 docs, refund 84", answer);
        Assert.Equal("plain", agent.Plain());
        await Assert.ThrowsAsync<TimeoutException>(async () => await agent.FailAsync());
        Assert.Null(VigilClient.CurrentSpan);
        await client.ForceFlushAsync(Ct);

        var root = transport.Single("support-agent");
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent_span_id").ValueKind);
        Assert.Equal("where is my order?", root.GetProperty("input").GetProperty("question").GetString());
        Assert.False(root.GetProperty("input").TryGetProperty("cancellationToken", out var _));
        Assert.Equal(answer, root.GetProperty("output").GetProperty("value").GetString());
        var search = transport.Single("SearchAsync");
        Assert.Equal("retriever", search.Str("kind"));
        Assert.Equal(root.Str("span_id"), search.Str("parent_span_id"));
        Assert.Equal(2, search.GetProperty("output").GetProperty("value").GetArrayLength());
        var refund = transport.Single("refund");
        Assert.Equal("tool", refund.Str("kind"));
        Assert.Equal(42, refund.GetProperty("input").GetProperty("orderId").GetInt32());
        Assert.Equal(84, refund.GetProperty("output").GetProperty("value").GetInt32());
        Assert.Equal(root.Str("span_id"), transport.Single("SlowAsync").Str("parent_span_id"));
        Assert.Equal("llm", transport.Single("SlowAsync").Str("kind"));
        var failed = transport.Single("FailAsync");
        Assert.Equal("error", failed.Str("status"));
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("parent_span_id").ValueKind);
        Assert.DoesNotContain(transport.Spans, s => s.Str("name") == "Plain");
    }

    [Fact]
    public async Task AddVigil_registers_a_client_that_starts_with_the_host_and_flushes_on_stop()
    {
        var transport = new CapturingTransport();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddVigil(o =>
        {
            o.Endpoint = "http://127.0.0.1:9";
            o.ApiKey = "key";
            o.FlushInterval = TimeSpan.FromMinutes(5);   // only the shutdown flush can deliver
            o.Transport = transport;
        });
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var client = host.Services.GetRequiredService<VigilClient>();
        client.StartSpan("hosted").End();
        await host.StopAsync(Ct);
        Assert.Equal("hosted", Assert.Single(transport.Spans).Str("name"));
    }

    [Fact]
    public void AddVigil_binds_configuration_and_fails_start_on_bad_settings()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Endpoint"] = "http://127.0.0.1:9",
            ["Vigil:ApiKey"] = "key",
            ["Vigil:BatchSize"] = "5000",
        });
        builder.Services.AddVigil(builder.Configuration.GetSection("Vigil"));
        using var host = builder.Build();
        var e = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<VigilClient>());
        Assert.Contains("BatchSize", e.ToString());
    }
}
