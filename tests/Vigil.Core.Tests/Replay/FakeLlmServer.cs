using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Tests.Fakes;

/// <summary>
/// A tiny OpenAI + Anthropic look-alike on 127.0.0.1 speaking their wire formats (POST /v1/chat/completions,
/// POST /v1/messages). It records every request. The model name steers it: "...fail..." answers 500,
/// "...slow..." answers after 30 s, "...block..." waits for <see cref="Release"/>.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Recorded(string Path, JsonObject Body, string? Authorization, string? ApiKeyHeader, IReadOnlyList<string> Headers);

    public ConcurrentQueue<Recorded> Requests { get; } = new();
    public string Url { get; private set; } = "";
    /// <summary>Base URL for the OpenAI client (it appends /chat/completions).</summary>
    public string OpenAiBaseUrl => Url + "/v1";
    /// <summary>Base URL for the Anthropic client (it appends /v1/messages).</summary>
    public string AnthropicBaseUrl => Url;
    public TaskCompletionSource BlockedRequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeLlmServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", ctx => HandleAsync(ctx, OpenAiReply));
        _app.MapPost("/v1/messages", ctx => HandleAsync(ctx, AnthropicReply));
    }

    public static async Task<FakeLlmServer> StartAsync()
    {
        var server = new FakeLlmServer();
        await server._app.StartAsync();
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    public void Release() => _gate.TrySetResult();

    public IEnumerable<Recorded> OpenAiRequests => Requests.Where(r => r.Path.EndsWith("/chat/completions"));
    public IEnumerable<Recorded> AnthropicRequests => Requests.Where(r => r.Path.EndsWith("/messages"));

    private async Task HandleAsync(HttpContext ctx, Func<JsonObject, JsonObject> reply)
    {
        var body = (await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted))!.AsObject();
        Requests.Enqueue(new Recorded(ctx.Request.Path, body, ctx.Request.Headers.Authorization, ctx.Request.Headers["x-api-key"],
            ctx.Request.Headers.Select(h => $"{h.Key}: {h.Value}").ToList()));
        var model = body["model"]?.GetValue<string>() ?? "";
        if (model.Contains("fail"))
        {
            ctx.Response.StatusCode = 500;
            await ctx.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = "fake upstream exploded", ["type"] = "server_error" }, ["type"] = "error" });
            return;
        }
        if (model.Contains("slow")) await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted);
        if (model.Contains("block"))
        {
            BlockedRequestArrived.TrySetResult();
            await _gate.Task.WaitAsync(ctx.RequestAborted);
        }
        await ctx.Response.WriteAsJsonAsync(reply(body));
    }

    /// <summary>Deterministic text that shows what the request carried.</summary>
    public static string ReplyText(JsonObject body)
    {
        var last = (body["messages"] as JsonArray)?.LastOrDefault()?["content"]?.ToString() ?? "";
        return $"Reply from {body["model"]} at temperature {body["temperature"]?.ToString() ?? "default"}: {last}";
    }

    private static JsonObject OpenAiReply(JsonObject body) => new()
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion",
        ["created"] = 1767225600,
        ["model"] = body["model"]!.GetValue<string>(),
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = ReplyText(body) },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
    };

    private static JsonObject AnthropicReply(JsonObject body) => new()
    {
        ["id"] = "msg_fake",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = body["model"]!.GetValue<string>(),
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = ReplyText(body) }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 200, ["output_tokens"] = 10 },
    };

    public async ValueTask DisposeAsync()
    {
        _gate.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
