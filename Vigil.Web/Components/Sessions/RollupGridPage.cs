using Microsoft.AspNetCore.Components;
using MudBlazor;
using Vigil.Core.Sessions;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.Sessions;

/// <summary>
/// What the Sessions and Users pages share: a server-paged grid over rollup rows whose filters, sort and page live in the
/// URL (<see cref="RollupListState"/>). The URL is the source of truth: UI changes write it, a changed URL reloads the grid.
/// </summary>
public abstract class RollupGridPage<TRow> : ComponentBase
{
    [Inject] protected ProjectContext Context { get; set; } = null!;
    [Inject] protected NavigationManager Nav { get; set; } = null!;
    [Inject] protected TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? QParam { get; set; }
    [SupplyParameterFromQuery(Name = "user")] public string? UserParam { get; set; }
    [SupplyParameterFromQuery(Name = "errors")] public string? ErrorsParam { get; set; }
    [SupplyParameterFromQuery(Name = "range")] public string? RangeParam { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? SortParam { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public string? PageParam { get; set; }

    protected MudDataGrid<TRow>? Grid;
    protected RollupListState State = new();
    protected string? ProjectId;
    protected bool NoProject;
    protected long? Total;
    protected DateTimeOffset Now;

    /// <summary>The Users page: no user filter, and a sessions sort.</summary>
    protected abstract bool ForUsers { get; }

    protected abstract Task<(IReadOnlyList<TRow> Rows, int Total)> FetchAsync(string projectId, CancellationToken ct);

    protected string ErrorsKey => State.Errors switch { true => "true", false => "false", null => "" };

    protected override async Task OnParametersSetAsync()
    {
        Now = Time.GetUtcNow();
        var state = RollupListState.Parse(n => n switch
        {
            "q" => QParam, "user" => UserParam, "errors" => ErrorsParam, "range" => RangeParam, "sort" => SortParam, "page" => PageParam, _ => null,
        }, ForUsers);
        var changed = state != State;
        // Before the first await: the grid is created on the render that await allows and takes its initial sort from State
        // (with the URL's state applied only afterwards, its default sort would be folded back into the URL).
        State = state;
        var projectId = await Context.ResolveAsync();
        NoProject = projectId is null;
        changed |= projectId != ProjectId;
        ProjectId = projectId;
        if (changed && Grid is not null) await Grid.ReloadServerData();
        await OnProjectResolvedAsync(projectId);
    }

    /// <summary>After each parameter change, with the resolved project (the Sessions page starts following the live feed here).</summary>
    protected virtual Task OnProjectResolvedAsync(string? projectId) => Task.CompletedTask;

    protected async Task<GridData<TRow>> LoadAsync(GridState<TRow> grid, CancellationToken ct)
    {
        if (ProjectId is null) return new GridData<TRow> { Items = [], TotalItems = 0 };
        // Paging and sorting happen in the grid: fold them into the state and the URL (replacing, not adding, history).
        var sortDef = grid.SortDefinitions.FirstOrDefault();
        var next = State with
        {
            Page = grid.Page,
            Sort = sortDef is null ? State.Sort : RollupListState.SortOf(sortDef.SortBy),
            Descending = sortDef?.Descending ?? State.Descending,
        };
        if (next != State)
        {
            State = next;
            Nav.NavigateTo(Nav.GetUriWithQueryParameters(State.ToQueryParameters()), replace: true);
        }
        Now = Time.GetUtcNow();
        var (rows, total) = await FetchAsync(ProjectId, ct);
        Total = total;
        StateHasChanged(); // the total in the page header is outside the grid
        return new GridData<TRow> { Items = rows, TotalItems = total };
    }

    /// <summary>A filter changed: back to the first page, and a new history entry so Back undoes it.</summary>
    protected async Task ApplyAsync(RollupListState next)
    {
        next = next with { Page = 0 };
        if (next == State) return;
        State = next;
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(State.ToQueryParameters()));
        if (Grid is null) return;
        if (Grid.CurrentPage != 0) Grid.NavigateTo(MudBlazor.Page.First);
        else await Grid.ReloadServerData();
    }

    protected Task SetErrorsAsync(string v) => ApplyAsync(State with { Errors = v switch { "true" => true, "false" => false, _ => null } });

    protected SortDirection DirectionOf(RollupSort sort) =>
        State.Sort != sort ? SortDirection.None : State.Descending ? SortDirection.Descending : SortDirection.Ascending;

    protected static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
}
