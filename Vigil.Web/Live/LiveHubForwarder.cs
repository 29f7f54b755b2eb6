using Microsoft.AspNetCore.SignalR;
using Vigil.Core.Cluster;
using Vigil.Core.Live;

namespace Vigil.Web.Live;

/// <summary>
/// Pumps the in-process live feed into the hub's project groups. Its own subscription is bounded and drops the
/// oldest events, so neither a slow hub client nor a slow network can push back on ingest. Events of other instances
/// (<see cref="LiveEvent.Remote"/>) are left out: their own forwarder sends them, through the Redis backplane.
/// </summary>
internal sealed class LiveHubForwarder(LiveFeed feed, IHubContext<LiveHub> hub, ClusterInstance instance, ILogger<LiveHubForwarder> logger)
    : BackgroundService
{
    /// <summary>
    /// On the backplane a send is a Redis publish: several go out without waiting for each answer, in order on the one
    /// connection, so a Redis round trip does not add up per event. In-process sends go one at a time (their order per
    /// connection depends on it).
    /// </summary>
    private readonly int _inFlight = instance.Clustered ? 32 : 1;

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(projectId: null, capacity: 16_384);
        var pending = new Queue<Task>();
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                if (e.Remote) continue;
                pending.Enqueue(SendAsync(e, stoppingToken));
                while (pending.Count >= _inFlight || (pending.Count > 0 && pending.Peek().IsCompleted)) await pending.Dequeue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        if (subscription.Dropped > 0) logger.LogInformation("Live hub forwarder dropped {Count} events while behind", subscription.Dropped);
    }

    private async Task SendAsync(LiveEvent e, CancellationToken ct)
    {
        try
        {
            // The project's clients that take everything, and those that asked for this event by name (one send).
            await hub.Clients.Groups(LiveHub.Group(e.ProjectId), LiveHub.Group(e.ProjectId, e.Type)).SendAsync(e.Type, e.Payload, ct);
            if (_failing) logger.LogInformation("Live hub forwarding works again");
            _failing = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Once per outage (the backplane's Redis away), not once per event.
            if (!_failing) logger.LogWarning(ex, "Could not forward a {Type} event to the live hub; events are dropped until it works again", e.Type);
            _failing = true;
        }
    }
}
