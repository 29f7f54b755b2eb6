using Microsoft.AspNetCore.Components;
using Vigil.Core.Sessions;
using Vigil.Web.Components.Sessions;

namespace Vigil.Web.Components.Pages;

/// <summary>The monitored application's end users: a server-paged grid over their rollup rows.</summary>
public partial class Users : RollupGridPage<EndUserRow>
{
    [Inject] private EndUserQueryService Service { get; set; } = null!;

    protected override bool ForUsers => true;

    private string TotalText => Total is { } t ? $"{t:N0} {(t == 1 ? "user" : "users")}" : "";

    protected override async Task<(IReadOnlyList<EndUserRow> Rows, int Total)> FetchAsync(string projectId, CancellationToken ct)
    {
        var page = await Service.ListAsync(projectId, State.ToUserQuery(Now), ct);
        return (page.Items.Select(u => new EndUserRow(u)).ToList(), page.Total);
    }

    private string Href(EndUserRow row) => Context.Href("/users/" + Uri.EscapeDataString(row.UserId), ProjectId);
}
