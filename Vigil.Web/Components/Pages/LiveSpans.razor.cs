using Microsoft.AspNetCore.Components;
using Vigil.Core.Live;
using Vigil.Web.Components.Live;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// The live span feed: subscribes to the in-process live feed for one project, keeps the newest spans, and
/// refreshes the view at most every 200 ms however fast spans arrive. Everything is released on dispose.
/// </summary>
public partial class LiveSpans
{
    [Inject] private LiveFeed Feed { get; set; } = default!;
    [Inject] private ProjectContext Context { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private ILogger<LiveSpans> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }

    /// <summary>Test hook: the refresh interval (default 200 ms).</summary>
    [Parameter] public TimeSpan? RefreshInterval { get; set; }

    public string? ProjectId { get; private set; }

    private readonly LiveSpanBuffer _buffer = new();
    private LiveFilter _filter = new();
    private List<SpanSummary> _rows = [];
    private double _rate;
    private LiveFollower? _follower;

    /// <summary>How many times the throttle refreshed the view (tests).</summary>
    public int RefreshCount => _follower?.Refreshes ?? 0;

    protected override async Task OnParametersSetAsync()
    {
        var projectId = await Context.ResolveAsync();
        if (projectId == ProjectId && _follower is not null) return;
        ProjectId = projectId;
        Unsubscribe();
        _buffer.Clear();
        _rows = [];
        if (ProjectId is null) return;

        _follower = new LiveFollower(Feed, ProjectId, capacity: 1024, OnEvent, RefreshInterval ?? RenderThrottle.DefaultInterval,
            () => InvokeAsync(Refresh), Logger);
    }

    private bool OnEvent(LiveEvent e)
    {
        if (e is not SpansEvent spans) return false;
        _buffer.Add(spans.Spans);
        return true;
    }

    /// <summary>Above this rate a screenful of rows is replaced at every refresh: refresh once a second instead.</summary>
    private const double BusyRate = 200;

    private void Refresh()
    {
        _rows = _buffer.Snapshot(_filter);
        _rate = _buffer.Rate();
        if (_follower is not null)
            _follower.Interval = _rate >= BusyRate ? RenderThrottle.BusyInterval : RefreshInterval ?? RenderThrottle.DefaultInterval;
        StateHasChanged();
    }

    private void SetFilter(LiveFilter filter)
    {
        _filter = filter;
        _rows = _buffer.Snapshot(_filter);
    }

    private void Pause() => _buffer.Pause();

    private void Resume()
    {
        _buffer.Resume();
        _rows = _buffer.Snapshot(_filter);
    }

    private void Clear()
    {
        _buffer.Clear();
        _rows = [];
    }

    private void Open(SpanSummary s) =>
        Nav.NavigateTo($"/traces/{Uri.EscapeDataString(s.TraceId)}?project={Uri.EscapeDataString(ProjectId!)}&span={Uri.EscapeDataString(s.SpanId)}");

    private void Unsubscribe()
    {
        _follower?.Dispose();
        _follower = null;
    }

    public void Dispose() => Unsubscribe();
}
