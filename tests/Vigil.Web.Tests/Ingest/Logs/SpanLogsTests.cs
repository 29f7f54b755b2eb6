using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Tests.Fakes;
using Vigil.Web.Tests.Infrastructure;
using Vigil.Web.Tests.Ingest.Grpc;
using Vigil.Web.Tests.Replay;

namespace Vigil.Web.Tests.Ingest.Logs;

/// <summary>
/// OTLP logs carrying GenAI message events (POST /v1/logs protobuf and JSON, gRPC LogsService/Export) end up in their
/// span's input and output whether they arrive before or after the span, and the enriched span replays.
/// </summary>
public class SpanLogsTests(SpanLogsTests.Fixture fixture) : IClassFixture<SpanLogsTests.Fixture>
{
    /// <summary>Vigil with OTLP/gRPC on a free port and replay pointed at a fake OpenAI server.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public FakeLlmServer Fake { get; private set; } = null!;
        public GrpcVigilFactory Factory { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Fake = await FakeLlmServer.StartAsync();
            Factory = new ReplayingFactory(Fake.OpenAiBaseUrl);
        }

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            await Fake.DisposeAsync();
        }

        private sealed class ReplayingFactory(string openAiBaseUrl) : GrpcVigilFactory
        {
            protected override void Configure()
            {
                With("Vigil:Replay:OpenAI:BaseUrl", openAiBaseUrl);
                With("Vigil:Replay:OpenAI:ApiKey", "sk-config-logs-0001");
                With("Vigil:Replay:TimeoutSeconds", "10");
                With("Vigil:Replay:MaxRetries", "0");
            }
        }
    }

    private GrpcVigilFactory Factory => fixture.Factory;

    private async Task<JsonElement> SpanAsync(string traceId, string spanId)
    {
        var trace = await (await Factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        return trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("span_id").GetString() == spanId);
    }

    [Theory]
    [InlineData(Transport.HttpProtobuf, true)]
    [InlineData(Transport.HttpProtobuf, false)]
    [InlineData(Transport.HttpJson, true)]
    [InlineData(Transport.HttpJson, false)]
    [InlineData(Transport.Grpc, true)]
    [InlineData(Transport.Grpc, false)]
    public async Task GenAI_message_events_fill_their_span_whichever_arrives_first(Transport transport, bool logsFirst)
    {
        var (traceId, spanId) = (GenAiLogs.NewTraceId(), GenAiLogs.NewSpanId());
        (long Rejected, string Message) logs;
        if (logsFirst)
        {
            logs = await OtlpTransport.SendAsync(Factory, transport, GenAiLogs.Conversation(traceId, spanId));
            Assert.Equal((0, ""), await OtlpTransport.SendAsync(Factory, transport, GenAiLogs.ChatSpan(traceId, spanId)));
        }
        else
        {
            Assert.Equal((0, ""), await OtlpTransport.SendAsync(Factory, transport, GenAiLogs.ChatSpan(traceId, spanId)));
            logs = await OtlpTransport.SendAsync(Factory, transport, GenAiLogs.Conversation(traceId, spanId));
        }
        // The record without a span context is the one rejected.
        Assert.Equal(1, logs.Rejected);
        Assert.Contains("logRecords[4] has no span context", logs.Message);

        var span = await SpanAsync(traceId, spanId);
        Assert.Equal("llm", span.GetProperty("kind").GetString());
        var input = span.GetProperty("input");
        Assert.Equal([("system", GenAiLogs.System), ("user", GenAiLogs.Question)],
            input.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())));
        // Request parameters stay the span attributes'.
        Assert.Equal("gpt-4o-mini", input.GetProperty("model").GetString());
        Assert.Equal(0.2, input.GetProperty("temperature").GetDouble(), 6);
        var output = span.GetProperty("output");
        Assert.Equal(GenAiLogs.Answer, output.GetProperty("content").GetString());
        Assert.Equal("stop", output.GetProperty("finish_reason").GetString());
        Assert.Equal("gpt-4o-mini-2024-07-18", output.GetProperty("model").GetString());
        Assert.Equal(3, output.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        // Typed columns are the span's own.
        Assert.Equal(12, span.GetProperty("input_tokens").GetInt64());
        // The other record is an event of the span; the message events are not.
        var ev = Assert.Single(span.GetProperty("events").EnumerateArray());
        Assert.Equal("cache.lookup", ev.GetProperty("name").GetString());
        Assert.Equal("k1", ev.GetProperty("attributes").GetProperty("cache.key").GetString());
        Assert.Equal("prompt cache miss", ev.GetProperty("attributes").GetProperty("log.body").GetString());
        Assert.Equal("INFO", ev.GetProperty("attributes").GetProperty("log.severity").GetString());
    }

    [Fact]
    public async Task Messages_split_over_requests_accumulate_and_a_resent_request_changes_nothing()
    {
        var (traceId, spanId) = (GenAiLogs.NewTraceId(), GenAiLogs.NewSpanId());
        var question = GenAiLogs.Logs(GenAiLogs.Record(traceId, spanId, "gen_ai.user.message", GenAiLogs.Map(("content", GenAiLogs.Str(GenAiLogs.Question))), 2));
        var answer = GenAiLogs.Logs(
            GenAiLogs.Record(traceId, spanId, "gen_ai.choice", GenAiLogs.Map(("message", GenAiLogs.Map(("content", GenAiLogs.Str(GenAiLogs.Answer))))), 3),
            GenAiLogs.Other(traceId, spanId));
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, question);
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, GenAiLogs.ChatSpan(traceId, spanId));
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, answer);
        // An exporter retry sends the same records again.
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, question);
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, answer);

        var span = await SpanAsync(traceId, spanId);
        Assert.Equal([GenAiLogs.Question], span.GetProperty("input").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        Assert.Equal(GenAiLogs.Answer, span.GetProperty("output").GetProperty("content").GetString());
        Assert.Single(span.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task A_span_sent_again_after_its_logs_keeps_the_logged_conversation()
    {
        var (traceId, spanId) = (GenAiLogs.NewTraceId(), GenAiLogs.NewSpanId());
        await OtlpTransport.SendAsync(Factory, Transport.HttpProtobuf, GenAiLogs.ChatSpan(traceId, spanId));
        await OtlpTransport.SendAsync(Factory, Transport.HttpProtobuf, GenAiLogs.Conversation(traceId, spanId));
        // The span's input written again from its attributes (no messages) would lose them; the pending logs fold in again.
        await OtlpTransport.SendAsync(Factory, Transport.HttpProtobuf, GenAiLogs.ChatSpan(traceId, spanId));
        var span = await SpanAsync(traceId, spanId);
        Assert.Equal(2, span.GetProperty("input").GetProperty("messages").GetArrayLength());
        Assert.Single(span.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Logs_of_another_projects_span_never_touch_it()
    {
        var (traceId, spanId) = (GenAiLogs.NewTraceId(), GenAiLogs.NewSpanId());
        await OtlpTransport.SendAsync(Factory, Transport.HttpProtobuf, GenAiLogs.ChatSpan(traceId, spanId));
        var other = Factory.ClientWithKey(await Factory.CreateProjectAsync($"logs-{Guid.NewGuid():N}"[..20]));
        var response = await other.PostAsync("/v1/logs", OtlpHttp.Protobuf(GenAiLogs.Conversation(traceId, spanId)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await SpanAsync(traceId, spanId);
        Assert.Equal(0, span.GetProperty("input").GetProperty("messages").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, span.GetProperty("events").ValueKind);
    }

    [Fact]
    public async Task A_span_enriched_by_logs_replays_with_its_logged_conversation()
    {
        var (traceId, spanId) = (GenAiLogs.NewTraceId(), GenAiLogs.NewSpanId());
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, GenAiLogs.Conversation(traceId, spanId));
        await OtlpTransport.SendAsync(Factory, Transport.Grpc, GenAiLogs.ChatSpan(traceId, spanId));

        var client = Factory.ClientWithKey();
        var estimate = await client.EstimateAsync(traceId, $$$"""{"{{{spanId}}}": {"model": "gpt-4o"}}""");
        Assert.Equal(HttpStatusCode.Created, estimate.StatusCode);
        var runId = (await estimate.JsonAsync()).GetProperty("replay_run_id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/traces/{traceId}/replay/{runId}/confirm", null)).StatusCode);
        var run = await client.WaitForEndAsync(traceId, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());

        var sent = fixture.Fake.OpenAiRequests.Single(r => r.Body["messages"]!.ToJsonString().Contains(GenAiLogs.Question));
        Assert.Equal("gpt-4o", sent.Body["model"]!.GetValue<string>());
        Assert.Equal(0.2, sent.Body["temperature"]!.GetValue<double>(), 6);
        Assert.Equal([("system", GenAiLogs.System), ("user", GenAiLogs.Question)],
            sent.Body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())));

        var diff = await client.GetFromJsonAsync<JsonElement>($"/v1/traces/{traceId}/replay/{runId}/diff");
        var entry = diff.GetProperty("diffs").EnumerateArray().Single(d => d.GetProperty("span_id").GetString() == spanId);
        Assert.True(entry.GetProperty("was_executed").GetBoolean());
        Assert.Equal(GenAiLogs.Answer, entry.GetProperty("original_output").GetProperty("content").GetString());
    }
}
