using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>
/// The real OpenTelemetry .NET OTLP exporter (HTTP/protobuf) sending to a running Vigil over a socket:
/// what a user gets when they point OTEL_EXPORTER_OTLP_ENDPOINT at Vigil.
/// </summary>
public class OtlpExporterTests(KestrelVigilFactory factory) : IClassFixture<KestrelVigilFactory>
{
    private TracerProvider Exporter(string sourceName, string headers) => Sdk.CreateTracerProviderBuilder()
        .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("exporter-test-service"))
        .AddSource(sourceName)
        .AddOtlpExporter(o =>
        {
            o.Endpoint = factory.TracesEndpoint;
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.Headers = headers;
            // Export on span end so ForceFlush has nothing queued: the test then reads what the exporter already sent.
            o.ExportProcessorType = ExportProcessorType.Simple;
        })
        .Build();

    [Theory]
    [InlineData("x-api-key=" + VigilWebFactory.ApiKey)]
    [InlineData("Authorization=Bearer%20" + VigilWebFactory.ApiKey)]
    public async Task Spans_from_an_ActivitySource_are_stored_with_tree_times_status_and_attributes(string headers)
    {
        var sourceName = $"Vigil.Tests.Exporter.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        string traceId, rootId, childId;
        DateTime rootStart, childEnd;
        using (var provider = Exporter(sourceName, headers))
        {
            using (var root = source.StartActivity("handle-request", ActivityKind.Server)!)
            {
                root.SetTag("user.id", "u-42");
                root.SetTag("retries", 3);
                root.SetStatus(ActivityStatusCode.Ok);
                using (var child = source.StartActivity("lookup")!)
                {
                    child.SetTag("cache.hit", false);
                    child.AddEvent(new ActivityEvent("cache-miss", tags: new ActivityTagsCollection { ["key"] = "k1" }));
                    child.AddException(new InvalidOperationException("db down"));
                    child.SetStatus(ActivityStatusCode.Error, "lookup failed");
                    childId = child.SpanId.ToHexString();
                    Thread.Sleep(5);
                }
                childEnd = DateTime.UtcNow;
                traceId = root.TraceId.ToHexString();
                rootId = root.SpanId.ToHexString();
                rootStart = root.StartTimeUtc;
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var trace = await (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        Assert.Equal(2, trace.GetProperty("span_count").GetInt32());
        Assert.Equal("handle-request", trace.GetProperty("name").GetString());
        Assert.Equal("error", trace.GetProperty("status").GetString());
        var spans = trace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("span_id").GetString()!);

        var rootSpan = spans[rootId];
        Assert.Equal(JsonValueKind.Null, rootSpan.GetProperty("parent_span_id").ValueKind);
        Assert.Equal("ok", rootSpan.GetProperty("status").GetString());
        // Stored at microsecond precision.
        Assert.InRange((rootSpan.GetProperty("start_time").GetDateTime() - rootStart).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        var rootMeta = rootSpan.GetProperty("metadata");
        Assert.Equal("exporter-test-service", rootMeta.GetProperty("service.name").GetString());
        Assert.Equal(sourceName, rootMeta.GetProperty("otel.scope.name").GetString());
        Assert.Equal("server", rootMeta.GetProperty("otel.span_kind").GetString());
        Assert.Equal("u-42", rootMeta.GetProperty("attributes").GetProperty("user.id").GetString());
        Assert.Equal(3, rootMeta.GetProperty("attributes").GetProperty("retries").GetInt32());

        var childSpan = spans[childId];
        Assert.Equal(rootId, childSpan.GetProperty("parent_span_id").GetString());
        Assert.Equal("lookup", childSpan.GetProperty("name").GetString());
        Assert.Equal("error", childSpan.GetProperty("status").GetString());
        Assert.True(childSpan.GetProperty("duration_ms").GetDouble() >= 5);
        Assert.True(childSpan.GetProperty("end_time").GetDateTime() <= childEnd);
        var error = childSpan.GetProperty("metadata").GetProperty("error");
        Assert.Equal("System.InvalidOperationException", error.GetProperty("type").GetString());
        Assert.Equal("db down", error.GetProperty("message").GetString());
        var events = childSpan.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(["cache-miss", "exception"], events.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("k1", events[0].GetProperty("attributes").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_Microsoft_Extensions_AI_chat_call_becomes_a_replayable_llm_span()
    {
        var sourceName = $"Vigil.Tests.AI.{Guid.NewGuid():N}";
        using var provider = Exporter(sourceName, "x-api-key=" + VigilWebFactory.ApiKey);
        using var client = new FakeChatClient().AsBuilder()
            .UseOpenTelemetry(sourceName: sourceName, configure: c => c.EnableSensitiveData = true)
            .Build();

        string traceId;
        using (var parent = new ActivitySource(sourceName).StartActivity("agent-turn")!)
        {
            traceId = parent.TraceId.ToHexString();
            var response = await client.GetResponseAsync(
                [new(ChatRole.System, "Answer in one sentence."), new(ChatRole.User, "What is the capital of France?")],
                new ChatOptions { ModelId = "fake-model", Temperature = 0.3f, MaxOutputTokens = 64 },
                TestContext.Current.CancellationToken);
            Assert.Equal(FakeChatClient.Answer, response.Text);
        }
        Assert.True(provider.ForceFlush(10_000));

        var trace = await (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}", TestContext.Current.CancellationToken)).JsonAsync();
        var llm = trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "llm");
        Assert.Equal(FakeChatClient.ModelId, llm.GetProperty("model").GetString());
        Assert.Equal("fakeai", llm.GetProperty("provider").GetString());
        Assert.Equal(21, llm.GetProperty("input_tokens").GetInt64());
        Assert.Equal(8, llm.GetProperty("output_tokens").GetInt64());

        var input = llm.GetProperty("input");
        Assert.Equal("fake-model", input.GetProperty("model").GetString());
        Assert.Equal(0.3, input.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(64, input.GetProperty("max_tokens").GetInt32());
        var messages = input.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToArray();
        Assert.Contains(("system", "Answer in one sentence."), messages);
        Assert.Contains(("user", "What is the capital of France?"), messages);

        var output = llm.GetProperty("output");
        Assert.Equal(FakeChatClient.Answer, output.GetProperty("content").GetString());
        Assert.Equal("stop", output.GetProperty("finish_reason").GetString());
        Assert.Equal(8, output.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }
}
