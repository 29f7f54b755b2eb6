using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Tests.Fakes;

/// <summary>
/// A real HTTP receiver for alert channels on 127.0.0.1 (Kestrel): accepts POSTs on any path, records each with its raw
/// body, headers and the status it answered. <see cref="Answer"/> decides that status per path (default 200), so a test
/// can make it fail (503) for a while.
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Received(string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers, int Status, DateTimeOffset At)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
        public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
    }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status to answer a POST to a path with (read on every request).</summary>
    public Func<string, int> Answer { get; set; } = _ => 200;

    /// <summary>Sent with non-2xx answers when set (seconds).</summary>
    public int? RetryAfterSeconds { get; set; }

    public string Url { get; private set; } = "";

    private AlertReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/{**path}", HandleAsync);
    }

    public static async Task<AlertReceiver> StartAsync()
    {
        var receiver = new AlertReceiver();
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    public IReadOnlyList<Received> At(string path) => Requests.Where(r => r.Path == path).ToList();

    /// <summary>Polls until <paramref name="done"/> holds for what arrived (fails with what did after <paramref name="seconds"/>).</summary>
    public async Task<IReadOnlyList<Received>> WaitAsync(Func<IReadOnlyList<Received>, bool> done, double seconds = 20, string? what = null)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var list = Requests.ToList();
            if (done(list)) return list;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Receiver: {what ?? "condition"} not met within {seconds} s; got {list.Count}: "
                    + string.Join("; ", list.Select(r => $"{r.Path} {r.Status}")));
            await Task.Delay(50);
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var path = ctx.Request.Path.Value ?? "/";
        var status = Answer(path);
        Requests.Enqueue(new Received(path, buffer.ToArray(),
            ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), status, DateTimeOffset.UtcNow));
        ctx.Response.StatusCode = status;
        if (status >= 300 && RetryAfterSeconds is { } ra) ctx.Response.Headers.RetryAfter = ra.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status >= 300) await ctx.Response.WriteAsync("receiver is down");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
