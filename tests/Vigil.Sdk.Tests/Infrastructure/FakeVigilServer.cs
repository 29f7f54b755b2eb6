using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.Sdk.Tests.Infrastructure;

/// <summary>
/// A tiny Kestrel server on 127.0.0.1 that accepts <c>POST /v1/traces</c> and misbehaves on purpose:
/// <see cref="Behaviour"/> decides the answer of the n-th request (0-based).
/// </summary>
internal sealed class FakeVigilServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    public delegate Task<IResult?> Respond(int request, HttpContext context);

    private FakeVigilServer(WebApplication app) => _app = app;

    /// <summary>Spans acknowledged with 2xx, by span_id (a duplicate would show as count &gt; 1).</summary>
    public ConcurrentDictionary<string, int> Delivered { get; } = new();
    public ConcurrentQueue<DateTime> RequestTimes { get; } = new();
    public ConcurrentQueue<string?> AuthHeaders { get; } = new();
    public ConcurrentQueue<JsonElement> Bodies { get; } = new();
    public int Requests => Volatile.Read(ref _requests);
    public Respond? Behaviour { get; set; }
    public string Url { get; private set; } = "";

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<FakeVigilServer> StartAsync(Respond? behaviour = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeVigilServer(app) { Behaviour = behaviour };
        app.MapPost("/v1/traces", (Func<HttpContext, Task<IResult>>)server.HandleAsync);
        await app.StartAsync();
        server.Url = app.Urls.First();
        return server;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests) - 1;
        RequestTimes.Enqueue(DateTime.UtcNow);
        AuthHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var body = doc.RootElement.Clone();
        if (Behaviour is { } behaviour && await behaviour(n, context) is { } custom)
        {
            return custom;
        }
        Bodies.Enqueue(body);
        foreach (var span in body.GetProperty("spans").EnumerateArray())
        {
            Delivered.AddOrUpdate(span.GetProperty("span_id").GetString()!, 1, (_, c) => c + 1);
        }
        return Results.Json(new { trace_id = "x", span_count = body.GetProperty("spans").GetArrayLength() }, statusCode: 201);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
