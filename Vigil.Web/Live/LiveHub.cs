using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using System.Security.Claims;
using Vigil.Core.Accounts;
using Vigil.Web.Auth;

namespace Vigil.Web.Live;

/// <summary>
/// The live feed for external clients and signed-in browsers. A project API key (access token) joins its project's group;
/// a dashboard cookie joins the groups of every project its user may see (an admin: all). Events: spans, trace,
/// drift_alert, drift_resolved, replay_status. Server-to-client only; a first <c>subscribed</c> message says the joins are done.
/// </summary>
[Authorize(Policy = AuthExtensions.LivePolicy)]
public sealed class LiveHub(MembershipService membership, ILogger<LiveHub> logger) : Hub
{
    public static string Group(string projectId) => "project:" + projectId;

    public sealed record SubscribedMessage(string? ProjectId, IReadOnlyList<string> ProjectIds);

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var keyProject = user.FindFirstValue(VigilClaims.ProjectId);
        IReadOnlyList<string> projectIds = keyProject is not null
            ? [keyProject]
            : (await membership.ProjectsForAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.IsAdmin(), Context.ConnectionAborted))
                .Select(p => p.Id).ToList();
        foreach (var id in projectIds) await Groups.AddToGroupAsync(Context.ConnectionId, Group(id));
        // The handshake completes before this runs: tell the client when events will actually reach it.
        await Clients.Caller.SendAsync("subscribed", new SubscribedMessage(keyProject ?? projectIds.FirstOrDefault(), projectIds));
        logger.LogDebug("Live hub connection {ConnectionId} joined {Count} project group(s)", Context.ConnectionId, projectIds.Count);
        await base.OnConnectedAsync();
    }
}
