using Microsoft.AspNetCore.Components;
using Vigil.Core.Live;
using Vigil.Core.Projects;
using Vigil.Web.Components.Live;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// The live span feed: subscribes to the in-process live feed for one project, keeps the newest spans, and
/// refreshes the view at most every 200 ms however fast spans arrive. Everything is released on dispose.
/// </summary>
public partial class LiveSpans
{
    [Inject] private LiveFeed Feed { get; set; } = default!;
    [Inject] private ProjectService Projects { get; set; } = default!;
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
    private LiveSubscription? _subscription;
    private RenderThrottle? _throttle;
    private CancellationTokenSource? _pump;

    /// <summary>How many times the throttle refreshed the view (tests).</summary>
    public int RefreshCount => _throttle?.Refreshes ?? 0;

    protected override async Task OnParametersSetAsync()
    {
        var projects = await Projects.ListAsync();
        var projectId = projects.FirstOrDefault(p => p.Id == ProjectParam)?.Id ?? projects.FirstOrDefault()?.Id;
        if (projectId == ProjectId && _subscription is not null) return;
        ProjectId = projectId;
        Unsubscribe();
        _buffer.Clear();
        _rows = [];
        if (ProjectId is null) return;

        _throttle = new RenderThrottle(RefreshInterval ?? RenderThrottle.DefaultInterval, () => InvokeAsync(Refresh));
        _subscription = Feed.Subscribe(ProjectId, capacity: 1024);
        _pump = new CancellationTokenSource();
        _ = PumpAsync(_subscription, _throttle, _pump.Token);
    }

    private async Task PumpAsync(LiveSubscription subscription, RenderThrottle throttle, CancellationToken ct)
    {
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(ct))
            {
                if (e is SpansEvent spans)
                {
                    _buffer.Add(spans.Spans);
                    throttle.Request();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Live page pump stopped");
        }
    }

    private void Refresh()
    {
        _rows = _buffer.Snapshot(_filter);
        _rate = _buffer.Rate();
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
        _pump?.Cancel();
        _pump?.Dispose();
        _pump = null;
        _subscription?.Dispose();
        _subscription = null;
        _throttle?.Dispose();
        _throttle = null;
    }

    public void Dispose() => Unsubscribe();
}
