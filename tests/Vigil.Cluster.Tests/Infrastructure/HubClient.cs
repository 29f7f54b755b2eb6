using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Vigil.Tests.Cluster;

/// <summary>An external client of <c>/hubs/live</c> on one instance, recording every event it receives with its arrival time.</summary>
public sealed class HubClient : IAsyncDisposable
{
    public sealed record Received(string Type, JsonElement Payload, DateTime At);

    private readonly HubConnection _connection;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<Received> Events { get; } = new();

    private HubClient(Uri baseAddress, string apiKey)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey))
            .WithAutomaticReconnect()
            .Build();
        _connection.On<JsonElement>("subscribed", _ => _subscribed.TrySetResult());
        foreach (var type in new[] { "spans", "trace", "drift_alert", "drift_resolved", "replay_status", "notification" })
            _connection.On<JsonElement>(type, payload => Events.Enqueue(new Received(type, payload, DateTime.UtcNow)));
    }

    public static async Task<HubClient> ConnectAsync(Uri baseAddress, string apiKey = ClusterNode.ApiKey)
    {
        var client = new HubClient(baseAddress, apiKey);
        await client._connection.StartAsync();
        await client._subscribed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return client;
    }

    public HubConnectionState State => _connection.State;

    /// <summary>Span ids of every <c>spans</c> event received, in arrival order.</summary>
    public List<string> SpanIds() => Events.Where(e => e.Type == "spans")
        .SelectMany(e => e.Payload.EnumerateArray().Select(s => s.GetProperty("span_id").GetString()!)).ToList();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
