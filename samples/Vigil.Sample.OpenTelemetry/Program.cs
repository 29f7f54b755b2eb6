using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vigil.Sample;

// An app that knows nothing of Vigil: OpenTelemetry with its defaults, which export OTLP over gRPC to
// localhost:4317, Vigil's OTLP/gRPC port. The only Vigil-specific setting is the project key, as OTLP headers:
//
//   OTEL_EXPORTER_OTLP_HEADERS=x-api-key=<project key> dotnet run --project samples/Vigil.Sample.OpenTelemetry
//
// (OTEL_EXPORTER_OTLP_ENDPOINT=http://host:4317 for a Vigil elsewhere.) Microsoft.Extensions.AI's OpenTelemetry
// middleware records each model call with the GenAI conventions; with sensitive data on, the messages are recorded too,
// so Vigil shows the conversation and can replay the call. Logs written inside a span become that span's events.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOpenTelemetry()
    .ConfigureResource(r => r.AddService("otel-sample-agent"))
    .WithTracing(t => t
        .AddSource(Agent.SourceName)
        .AddSource(Agent.AiSourceName)
        .AddOtlpExporter())
    .WithLogging(l => l.AddOtlpExporter());

builder.Services.AddChatClient(new FakeLlm("gpt-4o-mini", "openai", new Random(11), failureRate: 0))
    .UseOpenTelemetry(sourceName: Agent.AiSourceName, configure: c => c.EnableSensitiveData = true);
builder.Services.AddSingleton<Agent>();

using var host = builder.Build();
await host.StartAsync();
var agent = host.Services.GetRequiredService<Agent>();
foreach (var question in new[] { "Where is my order 4711?", "Can I still change the delivery address?", "How do I return a broken mug?" })
    Console.WriteLine($"{question}\n  -> {await agent.AnswerAsync(question)}");
// A short-lived app exports what is still queued before it exits (a long-running one needs nothing of the kind).
var flushed = host.Services.GetRequiredService<TracerProvider>().ForceFlush(30_000)
    & host.Services.GetRequiredService<LoggerProvider>().ForceFlush(30_000);
if (!flushed) Console.Error.WriteLine("Some traces or logs could not be exported within 30 s.");
await host.StopAsync();
Console.WriteLine("Done: open Vigil's Traces page (service otel-sample-agent).");

/// <summary>A small agent: look the question up (a retrieval span), then ask the model (an llm span, from M.E.AI's middleware).</summary>
internal sealed class Agent(IChatClient chat, ILogger<Agent> logger)
{
    public const string SourceName = "Vigil.Samples.OpenTelemetry";
    public const string AiSourceName = "Experimental.Microsoft.Extensions.AI";
    private static readonly ActivitySource Source = new(SourceName);

    public async Task<string> AnswerAsync(string question)
    {
        using var turn = Source.StartActivity("agent-turn");
        turn?.SetTag("gen_ai.operation.name", "invoke_agent");
        turn?.SetTag("input.value", question);

        string[] articles;
        using (var search = Source.StartActivity("kb-search"))
        {
            search?.SetTag("openinference.span.kind", "RETRIEVER");
            articles = question.Contains("return", StringComparison.OrdinalIgnoreCase) ? ["returns", "refund-policy"] : ["shipping-times"];
            // A log record inside the span: Vigil attaches it to the span as an event.
            logger.LogInformation("Found {Count} help articles: {Articles}", articles.Length, string.Join(", ", articles));
        }

        var response = await chat.GetResponseAsync(
            [
                new ChatMessage(ChatRole.System, $"You are a support agent. Use these articles: {string.Join(", ", articles)}."),
                new ChatMessage(ChatRole.User, question),
            ],
            new ChatOptions { ModelId = "gpt-4o-mini", Temperature = 0.2f });
        turn?.SetTag("output.value", response.Text);
        return response.Text;
    }
}
