using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenAI;
using Vigil.Sample;
using Vigil.Sdk;
using Vigil.Sdk.Integrations;

// A Microsoft.Extensions.AI chat app instrumented with Vigil: the conversation is a trace, every model call an llm span
// with the messages, parameters, answer, tokens and time to first token (so it can be replayed in Vigil).
//
//   VIGIL_API_KEY=<project key> dotnet run --project samples/Vigil.Sample.Chat               # scripted chat, fake LLM
//   VIGIL_API_KEY=<project key> dotnet run --project samples/Vigil.Sample.Chat -- --interactive
//
// VIGIL_ENDPOINT defaults to http://localhost:5000. With OPENAI_API_KEY set (and OPENAI_BASE_URL for any
// OpenAI-compatible server, OPENAI_MODEL for the model) it talks to that model instead of the sample's fake LLM.
var interactive = args.Contains("--interactive");
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

// 1. Vigil: the client, its batching exporter, and a flush when the host stops.
builder.Services.AddVigil(o => o.Endpoint ??= "http://localhost:5000");

// 2. The chat client, with Vigil's middleware in its pipeline (UseVigil takes the VigilClient from DI).
builder.Services.AddChatClient(_ => Environment.GetEnvironmentVariable("OPENAI_API_KEY") is { Length: > 0 } key
        ? new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
            {
                Endpoint = Environment.GetEnvironmentVariable("OPENAI_BASE_URL") is { Length: > 0 } url ? new Uri(url) : null,
            })
            .GetChatClient(Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-4o-mini").AsIChatClient()
        : new FakeLlm("gpt-4o-mini", "openai", new Random(7), failureRate: 0))
    .UseVigil();

using var host = builder.Build();
await host.StartAsync();
var chat = host.Services.GetRequiredService<IChatClient>();
var vigil = host.Services.GetRequiredService<VigilClient>();

string[] script = ["Hi! My order 4711 has not arrived yet.", "It was due last Friday. Can you check what happened?", "Thanks, please send me the tracking link."];
List<ChatMessage> history = [new(ChatRole.System, "You are the support assistant of a small web shop. Answer in one or two sentences.")];
var options = new ChatOptions { Temperature = 0.3f, MaxOutputTokens = 200 };

// 3. One trace for the whole conversation; each turn's model call becomes an llm span inside it.
using (vigil.StartTrace("chat-session", new Dictionary<string, object?> { ["interactive"] = interactive }))
{
    foreach (var question in interactive ? ReadQuestions() : script)
    {
        if (!interactive) Console.WriteLine($"you> {question}");
        history.Add(new ChatMessage(ChatRole.User, question));
        Console.Write("assistant> ");
        List<ChatResponseUpdate> updates = [];
        await foreach (var update in chat.GetStreamingResponseAsync(history, options))
        {
            Console.Write(update.Text);
            updates.Add(update);
        }
        Console.WriteLine();
        history.AddMessages(updates);
    }
}

// 4. Stopping the host flushes what is still queued to Vigil.
await host.StopAsync();
Console.WriteLine($"Sent {vigil.Stats.Exported} spans to {host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<VigilOptions>>().Value.Endpoint}; open the trace 'chat-session' there.");

static IEnumerable<string> ReadQuestions()
{
    Console.WriteLine("Type a message (empty line to quit).");
    while (true)
    {
        Console.Write("you> ");
        var line = Console.ReadLine();
        if (string.IsNullOrWhiteSpace(line)) yield break;
        yield return line;
    }
}
