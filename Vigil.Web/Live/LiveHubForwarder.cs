using Microsoft.AspNetCore.SignalR;
using Vigil.Core.Live;

namespace Vigil.Web.Live;

/// <summary>
/// Pumps the in-process live feed into the hub's project groups. Its own subscription is bounded and drops the
/// oldest events, so neither a slow hub client nor a slow network can push back on ingest.
/// </summary>
internal sealed class LiveHubForwarder(LiveFeed feed, IHubContext<LiveHub> hub, ILogger<LiveHubForwarder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(projectId: null, capacity: 16_384);
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.Group(LiveHub.Group(e.ProjectId)).SendAsync(e.Type, e.Payload, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not forward a {Type} event to the live hub", e.Type);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        if (subscription.Dropped > 0) logger.LogInformation("Live hub forwarder dropped {Count} events while behind", subscription.Dropped);
    }
}
