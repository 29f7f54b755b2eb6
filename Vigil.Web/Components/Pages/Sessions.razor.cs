using Microsoft.AspNetCore.Components;
using Vigil.Core.Live;
using Vigil.Core.Sessions;
using Vigil.Web.Components.Live;
using Vigil.Web.Components.Sessions;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// The monitored application's conversations: a server-paged grid over the sessions' rollup rows. The first page, latest
/// activity first, follows new turns live (throttled).
/// </summary>
public partial class Sessions : RollupGridPage<SessionRow>, IDisposable
{
    [Inject] private SessionQueryService Service { get; set; } = null!;
    [Inject] private LiveFeed Feed { get; set; } = null!;
    [Inject] private ILogger<Sessions> Logger { get; set; } = null!;

    private LiveFollower? _follower;
    private string? _followed;

    protected override bool ForUsers => false;

    private string TotalText => Total is { } t ? $"{t:N0} {(t == 1 ? "session" : "sessions")}" : "";

    protected override async Task<(IReadOnlyList<SessionRow> Rows, int Total)> FetchAsync(string projectId, CancellationToken ct)
    {
        var page = await Service.ListAsync(projectId, State.ToSessionQuery(Now), ct);
        return (page.Items.Select(s => new SessionRow(s)).ToList(), page.Total);
    }

    protected override Task OnProjectResolvedAsync(string? projectId)
    {
        if (!RendererInfo.IsInteractive || projectId == _followed) return Task.CompletedTask;
        _follower?.Dispose();
        _follower = null;
        _followed = projectId;
        if (projectId is null) return Task.CompletedTask;
        // Rows move on every turn: refresh only the view where they appear at once (first page, latest activity first).
        _follower = new LiveFollower(Feed, projectId, capacity: 256, e => e is TraceEvent { Trace.SessionId: not null },
            TimeSpan.FromSeconds(1), () => InvokeAsync(async () =>
            {
                if (Grid is not null && State is { Page: 0, Sort: RollupSort.LastActivity, Descending: true }) await Grid.ReloadServerData();
            }), Logger);
        return Task.CompletedTask;
    }

    private string Href(SessionRow row) => Context.Href("/sessions/" + Uri.EscapeDataString(row.SessionId), ProjectId);

    public void Dispose() => _follower?.Dispose();
}
