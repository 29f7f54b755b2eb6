using Microsoft.AspNetCore.SignalR;
using Vigil.Core.Live;

namespace Vigil.Web.Live;

/// <summary>
/// Pumps the in-process live feed into the hub's project groups. Its own subscription is bounded and drops the
/// oldest events, so neither a slow hub client nor a slow network can push back on ingest. Events of other instances
/// (<see cref="LiveEvent.Remote"/>) are left out: their own forwarder sends them, through the Redis backplane.
/// </summary>
internal sealed class LiveHubForwarder(LiveFeed feed, IHubContext<LiveHub> hub, ILogger<LiveHubForwarder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(projectId: null, capacity: 16_384);
        try
        {
            var failing = false;
            await foreach (var e in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                if (e.Remote) continue;
                try
                {
                    await hub.Clients.Group(LiveHub.Group(e.ProjectId)).SendAsync(e.Type, e.Payload, stoppingToken);
                    if (failing) logger.LogInformation("Live hub forwarding works again");
                    failing = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Once per outage (the backplane's Redis away), not once per event.
                    if (!failing) logger.LogWarning(ex, "Could not forward a {Type} event to the live hub; events are dropped until it works again", e.Type);
                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        if (subscription.Dropped > 0) logger.LogInformation("Live hub forwarder dropped {Count} events while behind", subscription.Dropped);
    }
}
