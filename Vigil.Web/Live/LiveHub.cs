using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Vigil.Web.Auth;

namespace Vigil.Web.Live;

/// <summary>
/// The live feed for external clients. A client authenticated by a project API key (access token) joins its
/// project's group on connect and receives only that project's events: spans, trace, drift_alert,
/// drift_resolved, replay_status. Server-to-client only; a first <c>subscribed</c> message says the join is done.
/// </summary>
[Authorize(Policy = AuthExtensions.ProjectKeyPolicy)]
public sealed class LiveHub(ILogger<LiveHub> logger) : Hub
{
    public static string Group(string projectId) => "project:" + projectId;

    public sealed record SubscribedMessage(string ProjectId);

    public override async Task OnConnectedAsync()
    {
        var projectId = Context.User!.GetProjectId();
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(projectId));
        // The handshake completes before this runs: tell the client when events will actually reach it.
        await Clients.Caller.SendAsync("subscribed", new SubscribedMessage(projectId));
        logger.LogDebug("Live hub connection {ConnectionId} joined {ProjectId}", Context.ConnectionId, projectId);
        await base.OnConnectedAsync();
    }
}
