using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Vigil.Core.Live;
using Vigil.Web.Live;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Live;

/// <summary><c>/hubs/live?events=…</c>: a client that names its events receives those and no others.</summary>
public class LiveHubEventSelectionTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private HubConnection Build(string query) => new HubConnectionBuilder()
        .WithUrl(new Uri(factory.Server.BaseAddress, "/hubs/live" + query), o =>
        {
            o.Transports = HttpTransportType.LongPolling;
            o.AccessTokenProvider = () => Task.FromResult<string?>(VigilWebFactory.ApiKey);
            o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
        })
        .Build();

    private static async Task<(Channel<string> Events, JsonElement Subscribed)> ListenAsync(HubConnection connection)
    {
        var events = Channel.CreateUnbounded<string>();
        var subscribed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("spans", s => events.Writer.TryWrite("spans:" + s[0].GetProperty("trace_id").GetString()));
        connection.On<JsonElement>("trace", t => events.Writer.TryWrite("trace:" + t.GetProperty("trace_id").GetString()));
        connection.On<JsonElement>("subscribed", m => subscribed.TrySetResult(m));
        await connection.StartAsync();
        return (events, await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_client_that_asks_for_spans_only_gets_spans_while_a_client_without_events_gets_everything()
    {
        await using var spansOnly = Build("?events=spans");
        await using var everything = Build("");
        var (onlyEvents, onlySubscribed) = await ListenAsync(spansOnly);
        var (allEvents, allSubscribed) = await ListenAsync(everything);
        Assert.Equal(["spans"], onlySubscribed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, allSubscribed.GetProperty("events").ValueKind);

        var response = await factory.ClientWithKey().PostTracesAsync("""{"spans":[{"span_id":"e1","trace_id":"selected-events"}]}""");
        response.EnsureSuccessStatusCode();

        // The full client sees both events of the batch; by then the forwarder has sent both, so the spans-only client,
        // which got its spans, has had every chance to get the trace event too.
        var seen = new List<string>();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            while (seen.Count < 2) seen.Add(await allEvents.Reader.ReadAsync(wait.Token));
        Assert.Equal(["spans:selected-events", "trace:selected-events"], seen.Order());
        Assert.Equal("spans:selected-events", await onlyEvents.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Delay(300);
        Assert.False(onlyEvents.Reader.TryRead(out var extra), $"unexpected {extra}");
    }

    [Fact]
    public async Task An_unknown_event_name_closes_the_connection_with_a_message_naming_it()
    {
        await using var connection = Build("?events=spans,nope");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        Exception? error;
        try
        {
            await connection.StartAsync();
            error = await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e)
        {
            error = e;
        }
        Assert.NotNull(error);
        Assert.Contains("unknown event(s) nope", error.Message);
        Assert.Contains("spans, trace", error.Message); // the known names
    }

    [Fact]
    public void Every_live_event_the_core_publishes_has_a_name_the_hub_accepts()
    {
        var types = typeof(LiveEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LiveEvent)) && !t.IsAbstract);
        var names = types.Select(t => ((LiveEvent)RuntimeHelpers.GetUninitializedObject(t)).Type).ToList();
        Assert.NotEmpty(names);
        Assert.Equal(names.Order(), LiveHub.EventNames.Order());
    }
}
