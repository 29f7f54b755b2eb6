using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest.Grpc;

/// <summary>
/// The real OpenTelemetry .NET OTLP exporter with its defaults (gRPC) and nothing but the two environment settings a
/// user sets, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS (given as the SDK's IConfiguration, which is
/// where it reads environment variables from, so parallel tests do not share process environment).
/// </summary>
public class OtlpGrpcExporterTests(GrpcVigilFactory factory) : IClassFixture<GrpcVigilFactory>
{
    private IConfiguration Environment(string headers) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = factory.GrpcAddress.ToString(),
        ["OTEL_EXPORTER_OTLP_HEADERS"] = headers,
    }).Build();

    [Theory]
    [InlineData("x-api-key=" + VigilWebFactory.ApiKey)]
    [InlineData("authorization=Bearer " + VigilWebFactory.ApiKey)]
    public async Task An_app_with_the_SDK_defaults_and_the_OTLP_environment_shows_its_traces(string headers)
    {
        var sourceName = $"Vigil.Tests.Grpc.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        string traceId, rootId, childId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .ConfigureServices(s => s.AddSingleton(Environment(headers)))
                   .AddSource(sourceName)
                   .AddOtlpExporter()
                   .Build())
        {
            using (var root = source.StartActivity("handle-request", ActivityKind.Server)!)
            {
                root.SetTag("user.id", "u-7");
                using (var child = source.StartActivity("lookup")!)
                {
                    child.SetStatus(ActivityStatusCode.Error, "lookup failed");
                    childId = child.SpanId.ToHexString();
                }
                traceId = root.TraceId.ToHexString();
                rootId = root.SpanId.ToHexString();
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var trace = await (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        Assert.Equal(2, trace.GetProperty("span_count").GetInt32());
        Assert.Equal("handle-request", trace.GetProperty("name").GetString());
        var spans = trace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("span_id").GetString()!);
        Assert.Equal("u-7", spans[rootId].GetProperty("metadata").GetProperty("attributes").GetProperty("user.id").GetString());
        Assert.Equal(rootId, spans[childId].GetProperty("parent_span_id").GetString());
        Assert.Equal("error", spans[childId].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GenAI_events_logged_through_ILogger_reach_their_span_over_gRPC(bool logsFirst)
    {
        var sourceName = $"Vigil.Tests.GrpcLogs.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        var environment = Environment("x-api-key=" + VigilWebFactory.ApiKey);
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(s => s.AddSingleton(environment))
            .AddSource(sourceName)
            .AddOtlpExporter()
            .Build();
        using var logging = LoggerFactory.Create(b =>
        {
            b.Services.AddSingleton(environment);
            b.AddOpenTelemetry(o => o.AddOtlpExporter());
        });
        var logger = logging.CreateLogger("gen_ai");

        string traceId, spanId;
        using (var chat = source.StartActivity("chat fake-model", ActivityKind.Client)!)
        {
            chat.SetTag("gen_ai.operation.name", "chat");
            chat.SetTag("gen_ai.request.model", "fake-model");
            chat.SetTag("gen_ai.system", "openai");
            // What GenAI instrumentations log when content capture is on: one event per message, tied to the current span.
            logger.Log(LogLevel.Information, new EventId(1, "gen_ai.user.message"), "{content}", "What is 2+2?");
            logger.Log(LogLevel.Information, new EventId(2, "gen_ai.choice"), "{finish_reason} {content}", "stop", "4");
            traceId = chat.TraceId.ToHexString();
            spanId = chat.SpanId.ToHexString();
        }
        // Disposing the logger factory shuts its exporter down, which exports what is queued.
        if (logsFirst) logging.Dispose();
        Assert.True(tracing.ForceFlush(10_000));
        if (!logsFirst) logging.Dispose();

        var trace = await (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        var span = trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("span_id").GetString() == spanId);
        var message = Assert.Single(span.GetProperty("input").GetProperty("messages").EnumerateArray());
        Assert.Equal(("user", "What is 2+2?"), (message.GetProperty("role").GetString(), message.GetProperty("content").GetString()));
        Assert.Equal("4", span.GetProperty("output").GetProperty("content").GetString());
        Assert.Equal("stop", span.GetProperty("output").GetProperty("finish_reason").GetString());
    }
}
