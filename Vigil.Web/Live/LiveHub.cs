using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using System.Security.Claims;
using Vigil.Core.Accounts;
using Vigil.Web.Auth;

namespace Vigil.Web.Live;

/// <summary>
/// The live feed for external clients and signed-in browsers. A project API key (access token) joins its project's group;
/// a dashboard cookie joins the groups of every project its user may see (an admin: all). Events: spans, trace,
/// drift_alert, drift_resolved, replay_status and the rest of <see cref="EventNames"/>. Server-to-client only; a first
/// <c>subscribed</c> message says the joins are done. A client may name the events it wants (<c>?events=spans,drift_alert</c>
/// on the hub URL): it then joins one group per project and event instead of the project's group, so a busy project's
/// events it does not read (a <c>trace</c> per trace of every batch) are never sent to it.
/// </summary>
[Authorize(Policy = AuthExtensions.LivePolicy)]
public sealed class LiveHub(MembershipService membership, ILogger<LiveHub> logger) : Hub
{
    /// <summary>Every event the hub sends (DESIGN.md "Live feed", README "Live feed for external clients").</summary>
    public static readonly IReadOnlyList<string> EventNames =
        ["spans", "trace", "score", "drift_alert", "drift_resolved", "replay_status", "notification", "monitor_state", "monitors_evaluated", "channel_delivery"];

    /// <summary>The group of a project's clients that take every event.</summary>
    public static string Group(string projectId) => "project:" + projectId;

    /// <summary>The group of a project's clients that asked for <paramref name="eventName"/> by name.</summary>
    public static string Group(string projectId, string eventName) => "project:" + projectId + ":" + eventName;

    /// <param name="Events">The events this connection receives; null: all.</param>
    public sealed record SubscribedMessage(string? ProjectId, IReadOnlyList<string> ProjectIds, IReadOnlyList<string>? Events);

    public override async Task OnConnectedAsync()
    {
        var events = RequestedEvents();
        var user = Context.User!;
        var keyProject = user.FindFirstValue(VigilClaims.ProjectId);
        IReadOnlyList<string> projectIds = keyProject is not null
            ? [keyProject]
            : (await membership.ProjectsForAsync(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.IsAdmin(), Context.ConnectionAborted))
                .Select(p => p.Id).ToList();
        foreach (var id in projectIds)
        {
            if (events is null) await Groups.AddToGroupAsync(Context.ConnectionId, Group(id));
            else foreach (var e in events) await Groups.AddToGroupAsync(Context.ConnectionId, Group(id, e));
        }
        // The handshake completes before this runs: tell the client when events will actually reach it.
        await Clients.Caller.SendAsync("subscribed", new SubscribedMessage(keyProject ?? projectIds.FirstOrDefault(), projectIds, events));
        logger.LogDebug("Live hub connection {ConnectionId} joined {Count} project group(s)", Context.ConnectionId, projectIds.Count);
        await base.OnConnectedAsync();
    }

    /// <summary>The <c>events</c> query parameter as a list of known names; null when absent (all events).</summary>
    private IReadOnlyList<string>? RequestedEvents()
    {
        var raw = Context.GetHttpContext()?.Request.Query["events"].ToString();
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var names = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var unknown = names.Where(n => !EventNames.Contains(n)).ToList();
        // A HubException's message reaches the client in the close message.
        if (unknown.Count > 0)
            throw new HubException($"events: unknown event(s) {string.Join(", ", unknown)}; known: {string.Join(", ", EventNames)}.");
        return names;
    }
}
