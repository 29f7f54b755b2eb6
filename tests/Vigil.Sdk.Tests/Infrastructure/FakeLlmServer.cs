using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.Sdk.Tests.Infrastructure;

/// <summary>Speaks just enough of the OpenAI chat-completions and Anthropic messages wire formats (JSON and SSE).</summary>
internal sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private FakeLlmServer(WebApplication app) => _app = app;
    public string Url { get; private set; } = "";

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", OpenAIAsync);
        app.MapPost("/v1/messages", AnthropicAsync);
        await app.StartAsync();
        return new FakeLlmServer(app) { Url = app.Urls.First() };
    }

    private static async Task OpenAIAsync(HttpContext ctx)
    {
        using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
        var model = doc.RootElement.GetProperty("model").GetString();
        var stream = doc.RootElement.TryGetProperty("stream", out var s) && s.GetBoolean();
        if (!stream)
        {
            await ctx.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-1", @object = "chat.completion", created = 1_700_000_000, model = model + "-2024",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "Your order ships tomorrow." }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 12, completion_tokens = 5, total_tokens = 17 },
            });
            return;
        }
        ctx.Response.ContentType = "text/event-stream";
        string Chunk(object delta, string? finish, object? usage = null) => JsonSerializer.Serialize(new
        {
            id = "chatcmpl-2", @object = "chat.completion.chunk", created = 1_700_000_000, model = model + "-2024",
            choices = usage is null ? new object[] { new { index = 0, delta, finish_reason = finish } } : [],
            usage,
        });
        foreach (var data in new[]
        {
            Chunk(new { role = "assistant", content = "" }, null),
            Chunk(new { content = "Hello" }, null),
            Chunk(new { content = " there" }, null),
            Chunk(new { }, "stop"),
            Chunk(new { }, null, new { prompt_tokens = 8, completion_tokens = 2, total_tokens = 10 }),
        })
        {
            await ctx.Response.WriteAsync($"data: {data}\n\n");
            await ctx.Response.Body.FlushAsync();
        }
        await ctx.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task AnthropicAsync(HttpContext ctx)
    {
        using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
        var model = doc.RootElement.GetProperty("model").GetString();
        var stream = doc.RootElement.TryGetProperty("stream", out var s) && s.GetBoolean();
        if (!stream)
        {
            await ctx.Response.WriteAsJsonAsync(new
            {
                id = "msg_1", type = "message", role = "assistant", model,
                content = new[] { new { type = "text", text = "Refund approved." } },
                stop_reason = "end_turn", stop_sequence = (string?)null,
                usage = new { input_tokens = 20, output_tokens = 4 },
            });
            return;
        }
        ctx.Response.ContentType = "text/event-stream";
        var events = new (string Name, object Data)[]
        {
            ("message_start", new { type = "message_start", message = new { id = "msg_2", type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage = new { input_tokens = 15, output_tokens = 1 } } }),
            ("content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } }),
            ("content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = "Streaming " } }),
            ("content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = "works." } }),
            ("content_block_stop", new { type = "content_block_stop", index = 0 }),
            ("message_delta", new { type = "message_delta", delta = new { stop_reason = "end_turn", stop_sequence = (string?)null }, usage = new { output_tokens = 3 } }),
            ("message_stop", new { type = "message_stop" }),
        };
        foreach (var (name, data) in events)
        {
            await ctx.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n");
            await ctx.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
