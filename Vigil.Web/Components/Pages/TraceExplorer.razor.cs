using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Vigil.Core.Live;
using Vigil.Core.Scores;
using Vigil.Core.Traces;
using Vigil.Web.Components.Live;
using Vigil.Web.Components.Shared;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// The trace explorer: a server-paged grid whose filters, sort and page live in the URL. The URL is the source of truth:
/// UI changes write it, and a changed URL (back/forward, a shared link) reloads the grid.
/// </summary>
public partial class TraceExplorer : IDisposable
{
    [Inject] private TraceQueryService Traces { get; set; } = null!;
    [Inject] private ProjectContext Context { get; set; } = null!;
    [Inject] private NavigationManager Nav { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private ILogger<TraceExplorer> Logger { get; set; } = null!;
    [Inject] private LiveFeed Feed { get; set; } = null!;
    [Inject] private ScoreService ScoreService { get; set; } = null!;

    // Declared so that a change of any of them re-runs OnParametersSetAsync; the values are read through TraceListState.
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParam { get; set; }
    [SupplyParameterFromQuery(Name = "name")] public string? NameParam { get; set; }
    [SupplyParameterFromQuery(Name = "model")] public string? ModelParam { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? QParam { get; set; }
    [SupplyParameterFromQuery(Name = "errors")] public string? ErrorsParam { get; set; }
    [SupplyParameterFromQuery(Name = "session")] public string? SessionParam { get; set; }
    [SupplyParameterFromQuery(Name = "user")] public string? UserParam { get; set; }
    [SupplyParameterFromQuery(Name = "score")] public string? ScoreParam { get; set; }
    [SupplyParameterFromQuery(Name = "range")] public string? RangeParam { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromParam { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParam { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? SortParam { get; set; }
    [SupplyParameterFromQuery(Name = "page")] public string? PageParam { get; set; }
    [SupplyParameterFromQuery(Name = "size")] public string? SizeParam { get; set; }

    private MudDataGrid<TraceRow>? _grid;
    private TraceListState _state = new();
    private string? _projectId;
    private bool _noProject;
    private long? _total;
    private bool _totalExact = true;
    private string? _error;
    private DateTimeOffset _now;
    private LiveFollower? _follower;
    private string? _followedProject;
    private int _newTraces;

    /// <summary>
    /// New traces reload the grid in place only where they would show up at once: the first page, newest first, no
    /// time window that excludes "now". Elsewhere a chip counts them, so the rows a user is reading do not move.
    /// </summary>
    private bool ShowsNewTracesInPlace => _state.Page == 0 && _state.Sort == TraceSort.StartTime && _state.Descending
        && (_state.Range != TimeRange.Custom || _state.To is null);

    private string TotalText => _total is { } t ? $"{t:N0}{(_totalExact ? "" : "+")} {(t == 1 && _totalExact ? "trace" : "traces")}" : "";

    /// <summary>Full text needs 3 characters (a trigram index); shorter text is kept in the box but not applied.</summary>
    private string? SearchHint => _state.Q is { } q && q.Trim().EnumerateRunes().Count() < TraceQuery.MinSearchLength ? $"Type at least {TraceQuery.MinSearchLength} characters" : null;

    /// <summary>Set when the score condition in the URL does not parse (then it filters nothing).</summary>
    private string? ScoreProblem => _state.Score is { } s && !ScoreFilter.TryParse(s, out _) ? $"Not a score condition: {ScoreFilter.Syntax}" : null;

    private string ErrorsKey => _state.Errors switch { true => "true", false => "false", null => "" };

    protected override async Task OnParametersSetAsync()
    {
        _now = Time.GetUtcNow();
        var projectId = await Context.ResolveAsync();
        _noProject = projectId is null;
        var state = TraceListState.Parse(name => name switch
        {
            "status" => StatusParam, "name" => NameParam, "model" => ModelParam, "q" => QParam, "errors" => ErrorsParam,
            "session" => SessionParam, "user" => UserParam, "score" => ScoreParam,
            "range" => RangeParam, "from" => FromParam, "to" => ToParam, "sort" => SortParam, "page" => PageParam, "size" => SizeParam,
            _ => null,
        });
        var changed = state != _state || projectId != _projectId;
        _state = state;
        _projectId = projectId;
        // The first load happens when the grid first renders; later URL changes (back/forward) reload it here.
        if (changed && _grid is not null) await _grid.ReloadServerData();
        if (RendererInfo.IsInteractive && projectId != _followedProject) Follow(projectId);
    }

    private void Follow(string? projectId)
    {
        StopFollowing();
        _followedProject = projectId;
        if (projectId is null) return;
        _follower = new LiveFollower(Feed, projectId, capacity: 512, e =>
        {
            if (e is not TraceEvent { Trace.IsNew: true }) return false;
            Interlocked.Increment(ref _newTraces);
            return true;
        }, LiveInterval, () => InvokeAsync(OnNewTracesAsync), Logger);
    }

    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(250);

    private async Task OnNewTracesAsync()
    {
        if (ShowsNewTracesInPlace && _grid is not null)
        {
            // When a whole page of new traces arrived since the last reload, reload once a second (RenderThrottle.BusyInterval).
            var arrived = Interlocked.Exchange(ref _newTraces, 0);
            if (_follower is not null) _follower.Interval = arrived >= _state.PageSize ? RenderThrottle.BusyInterval : LiveInterval;
            await _grid.ReloadServerData();
        }
        StateHasChanged();
    }

    /// <summary>The "N new traces" chip: back to the first page, newest first.</summary>
    private async Task ShowNewTracesAsync()
    {
        Interlocked.Exchange(ref _newTraces, 0);
        var next = _state with { Page = 0, Sort = TraceSort.StartTime, Descending = true };
        if (next.Range == TimeRange.Custom) next = next with { To = null };
        _state = next;
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(_state.ToQueryParameters()));
        if (_grid is not null)
        {
            if (_grid.CurrentPage != 0) _grid.NavigateTo(MudBlazor.Page.First);
            else await _grid.ReloadServerData();
        }
    }

    private void StopFollowing()
    {
        _follower?.Dispose();
        _follower = null;
    }

    public void Dispose() => StopFollowing();

    private async Task<GridData<TraceRow>> LoadAsync(GridState<TraceRow> grid, CancellationToken ct)
    {
        if (_projectId is null) return new GridData<TraceRow> { Items = [], TotalItems = 0 };
        // Paging and sorting happen in the grid: fold them into the state and the URL (replacing, not adding, history).
        var sortDef = grid.SortDefinitions.FirstOrDefault();
        var next = _state with
        {
            Page = grid.Page,
            PageSize = grid.PageSize,
            Sort = sortDef is null ? _state.Sort : TraceRow.SortOf(sortDef.SortBy),
            Descending = sortDef?.Descending ?? _state.Descending,
        };
        if (next != _state)
        {
            _state = next;
            Nav.NavigateTo(Nav.GetUriWithQueryParameters(_state.ToQueryParameters()), replace: true);
        }

        _now = Time.GetUtcNow();
        try
        {
            var page = await Traces.ListAsync(_projectId, _state.ToQuery(_now), ct);
            _total = page.Total;
            _totalExact = page.TotalExact;
            _error = null;
            StateHasChanged(); // the total in the page header is outside the grid
            var scores = await ScoreService.ForTracesAsync(_projectId, page.Items.Select(t => t.TraceId).ToList(), ct);
            return new GridData<TraceRow>
            {
                Items = page.Items.Select(t => new TraceRow(t) { Scores = scores.GetValueOrDefault(t.TraceId) ?? [] }).ToList(),
                TotalItems = page.Total,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading traces of {ProjectId} failed", _projectId);
            _error = "Loading traces failed: " + ex.Message;
            return new GridData<TraceRow> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>A filter changed: back to the first page, and a new history entry so Back undoes it.</summary>
    private async Task ApplyAsync(TraceListState next)
    {
        next = next with { Page = 0 };
        if (next == _state) return;
        _state = next;
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(_state.ToQueryParameters()));
        if (_grid is not null)
        {
            // The grid keeps its own page index: going to the first page reloads; on the first page, reload it.
            if (_grid.CurrentPage != 0) _grid.NavigateTo(MudBlazor.Page.First);
            else await _grid.ReloadServerData();
        }
    }

    private Task SetErrorsAsync(string v) =>
        ApplyAsync(_state with { Errors = v switch { "true" => true, "false" => false, _ => null } });

    private Task SetRangeAsync(string v)
    {
        var range = string.IsNullOrEmpty(v) ? null : v;
        var next = _state with { Range = range };
        if (range == TimeRange.Custom && _state.From is null)
            next = next with { From = Time.GetUtcNow().AddHours(-24), To = null }; // a sensible start for the custom editor
        if (range != TimeRange.Custom) next = next with { From = null, To = null };
        return ApplyAsync(next);
    }

    private Task ClearAsync() => ApplyAsync(new TraceListState { Sort = _state.Sort, Descending = _state.Descending, PageSize = _state.PageSize });

    private SortDirection DirectionOf(TraceSort sort) =>
        _state.Sort != sort ? SortDirection.None : _state.Descending ? SortDirection.Descending : SortDirection.Ascending;

    private string TraceHref(TraceRow row) => Context.Href("/traces/" + Uri.EscapeDataString(row.TraceId), _projectId);

    /// <summary>The Export button's download: this view's filters (time presets resolved now), all pages, in <paramref name="format"/>.</summary>
    private string ExportHref(string format)
    {
        var q = _state.ToQuery(Time.GetUtcNow());
        var args = new List<string> { "project=" + Uri.EscapeDataString(_projectId ?? ""), "format=" + format };
        void Add(string name, string? value) { if (!string.IsNullOrEmpty(value)) args.Add(name + "=" + Uri.EscapeDataString(value)); }
        Add("status", q.Status);
        Add("name", q.Name);
        Add("q", q.Q);
        Add("model", q.Model);
        Add("has_errors", q.HasErrors is { } e ? (e ? "true" : "false") : null);
        Add("start_date", q.StartDate?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("end_date", q.EndDate?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return Vigil.Web.Traces.DashboardExportEndpoints.Path + "?" + string.Join('&', args);
    }

    private void Open(DataGridRowClickEventArgs<TraceRow> e) => Nav.NavigateTo(TraceHref(e.Item));

    private async Task CopyLinkAsync()
    {
        var copied = await JS.InvokeAsync<bool>("vigil.copy", Nav.Uri);
        Snackbar.Add(copied ? "Link copied" : "Copy failed: select the address bar instead", copied ? Severity.Normal : Severity.Warning);
    }

    private static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private static string? LocalInput(DateTimeOffset? d) => d?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseLocal(string? v) =>
        DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
}
