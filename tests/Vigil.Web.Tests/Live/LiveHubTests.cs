using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Live;

public class LiveHubTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private async Task<(HubConnection Connection, Channel<JsonElement> Spans)> ConnectAsync(string key, HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var server = factory.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/live"), o =>
            {
                o.Transports = transport;
                o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.WebSocketFactory = async (context, ct) =>
                {
                    var ws = server.CreateWebSocketClient();
                    // Over WebSockets the token travels on the URL (browsers cannot send headers there): test that path.
                    var uri = context.Uri.Query.Contains("access_token=")
                        ? context.Uri
                        : new Uri(context.Uri + (context.Uri.Query.Length > 0 ? "&" : "?") + "access_token=" + Uri.EscapeDataString(key ?? ""));
                    return await ws.ConnectAsync(uri, ct);
                };
            })
            .Build();
        var spans = Channel.CreateUnbounded<JsonElement>();
        var subscribed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("spans", s => spans.Writer.TryWrite(s));
        connection.On<JsonElement>("subscribed", m => subscribed.TrySetResult(m));
        await connection.StartAsync();
        var message = await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(string.IsNullOrEmpty(message.GetProperty("project_id").GetString()));
        return (connection, spans);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_client_receives_the_spans_of_a_post_within_a_second(HttpTransportType transport)
    {
        var (connection, spans) = await ConnectAsync(VigilWebFactory.ApiKey, transport);
        await using var conn = connection;
        // Warm-up: the first message pays for JIT and serializer set-up; the promise is about steady state.
        await factory.ClientWithKey().PostTracesAsync($$"""{"spans":[{"span_id":"w","trace_id":"warm-{{transport}}"}]}""");
        using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while ((await spans.Reader.ReadAsync(warm.Token))[0].GetProperty("trace_id").GetString() != $"warm-{transport}") { }

        var traceId = "live-" + transport;
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientWithKey().PostTracesAsync($$"""{"spans":[{"span_id":"s1","trace_id":"{{traceId}}","name":"llm-call","kind":"llm","status":"ok","input":{"model":"gpt-4o","messages":[]},"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:01Z"}]}""")).StatusCode);

        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var batch = await spans.Reader.ReadAsync(within.Token);
        var span = batch[0];
        Assert.Equal(traceId, span.GetProperty("trace_id").GetString());
        Assert.Equal("s1", span.GetProperty("span_id").GetString());
        Assert.Equal("llm", span.GetProperty("kind").GetString());
        Assert.Equal("gpt-4o", span.GetProperty("model").GetString());
        Assert.True(span.TryGetProperty("parent_span_id", out _));
        Assert.True(span.TryGetProperty("start_time", out _));
        Assert.True(span.TryGetProperty("end_time", out _));
        Assert.False(span.TryGetProperty("input", out _)); // summaries, never payloads
    }

    [Fact]
    public async Task A_client_with_project_As_key_never_receives_project_Bs_events()
    {
        var keyB = await factory.CreateProjectAsync("live-b");
        var (connectionA, spansA) = await ConnectAsync(VigilWebFactory.ApiKey);
        var (connectionB, spansB) = await ConnectAsync(keyB);
        await using var a = connectionA;
        await using var b = connectionB;

        await factory.ClientWithKey(keyB).PostTracesAsync("""{"spans":[{"span_id":"b1","trace_id":"only-b"}]}""");
        await factory.ClientWithKey().PostTracesAsync("""{"spans":[{"span_id":"a1","trace_id":"only-a"}]}""");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal("only-b", (await spansB.Reader.ReadAsync(timeout.Token))[0].GetProperty("trace_id").GetString());
        // A's own event arrives after B's was published; had B's reached A, it would be first in A's queue.
        Assert.Equal("only-a", (await spansA.Reader.ReadAsync(timeout.Token))[0].GetProperty("trace_id").GetString());
        Assert.False(spansA.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("vgl_unknown_key_00000000000000")]
    public async Task Without_a_valid_key_the_hub_refuses(string? key)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var (connection, _) = await ConnectAsync(key!, HttpTransportType.LongPolling);
            await connection.DisposeAsync();
        });
        Assert.Contains("401", ex.Message);
    }
}
