using Microsoft.AspNetCore.Components;
using Vigil.Core.Live;
using Vigil.Core.Scores;
using Vigil.Core.Traces;
using Vigil.Web.Components.Shared;
using Vigil.Web.Components.Live;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Components.Pages;

/// <summary>One trace: header rollups, the span tree/waterfall and the inspector of the selected span (<c>?span=</c>).</summary>
public partial class TraceView : IDisposable
{
    /// <summary>How often a trace that keeps changing is reloaded at most: 250 ms, or 1 s for big traces (a 10,000-span reload is not free).</summary>
    private TimeSpan LiveReloadInterval => (_detail?.Spans.Count ?? 0) > 2000 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(250);

    [Inject] private TraceQueryService Traces { get; set; } = null!;
    [Inject] private ProjectContext Context { get; set; } = null!;
    [Inject] private NavigationManager Nav { get; set; } = null!;
    [Inject] private ILogger<TraceView> Logger { get; set; } = null!;
    [Inject] private LiveFeed Feed { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter] public string TraceId { get; set; } = "";
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }
    [SupplyParameterFromQuery(Name = "span")] public string? SpanParam { get; set; }

    private string? _loadedKey;
    private TraceDetail? _detail;
    private SpanTree? _tree;
    private SpanRecord? _selected;
    private bool _loading = true;
    private LiveFollower? _follower;
    private ITimer? _ticker;
    private bool _replayOpen;
    private string? _rerunSpanId;
    private string? _projectId;
    private DateTime? _now;

    protected override async Task OnParametersSetAsync()
    {
        // Prerendering shows the progress bar only: loading a large trace twice (prerender, then the circuit) would
        // double the wait for the first rows, and Virtualize renders no rows before the circuit anyway.
        if (!RendererInfo.IsInteractive) return;
        var projectId = await Context.ResolveAsync();
        _projectId = projectId;
        var key = projectId + "\n" + TraceId;
        if (key != _loadedKey)
        {
            _loadedKey = key;
            await LoadAsync(projectId);
            if (RendererInfo.IsInteractive) Follow(projectId);
        }
        _selected = SpanParam is null ? null : _tree?.Nodes.FirstOrDefault(n => n.Span.SpanId == SpanParam)?.Span;
    }

    private async Task LoadAsync(string? projectId)
    {
        _loading = true;
        _detail = projectId is null ? null : await Traces.GetAsync(projectId, TraceId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _tree = _detail is null ? null : SpanTree.Build(_detail.Spans);
        if (_detail is not null)
            Logger.LogDebug("Trace {TraceId}: {SpanCount} spans, tree built in {Ms:0.0} ms", TraceId, _detail.Spans.Count,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _loading = false;
        UpdateTicker();
    }

    /// <summary>While any span runs, tick once a second so its duration counts up; stop when none runs.</summary>
    private void UpdateTicker()
    {
        var running = _tree?.Nodes.Any(n => n.IsRunning) ?? false;
        _now = Time.GetUtcNow().UtcDateTime;
        if (running && _ticker is null)
            _ticker = Time.CreateTimer(_ => _ = InvokeAsync(() => { _now = Time.GetUtcNow().UtcDateTime; StateHasChanged(); }),
                null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        else if (!running && _ticker is not null)
        {
            _ticker.Dispose();
            _ticker = null;
        }
    }

    /// <summary>Reloads the trace when ingest changes it (new spans, a running span ends), throttled.</summary>
    private void Follow(string? projectId)
    {
        StopFollowing();
        if (projectId is null) return;
        _follower = new LiveFollower(Feed, projectId, capacity: 256,
            e => e is TraceEvent t && t.Trace.TraceId == TraceId || e is ScoreEvent s && s.Score.TraceId == TraceId,
            LiveReloadInterval, () => InvokeAsync(async () => { await ReloadAsync(); StateHasChanged(); }), Logger);
    }

    private void StopFollowing()
    {
        _follower?.Dispose();
        _follower = null;
    }

    public void Dispose()
    {
        StopFollowing();
        _ticker?.Dispose();
        _ticker = null;
    }

    private async Task ReloadAsync()
    {
        var projectId = await Context.ResolveAsync();
        await LoadAsync(projectId);
        _selected = _selected is null ? null : _tree?.Nodes.FirstOrDefault(n => n.Span.SpanId == _selected.SpanId)?.Span;
    }

    /// <summary>The trace's own scores (not its spans').</summary>
    private IReadOnlyList<ScoreRecord> TraceScores => ScoresOf(null);

    private int SpanScoreCount => _detail?.Scores.Count(s => s.SpanId is not null) ?? 0;

    private IReadOnlyList<ScoreRecord> ScoresOf(string? spanId) => _detail?.Scores.Where(s => s.SpanId == spanId).ToList() ?? [];

    private void ToggleReplay()
    {
        _rerunSpanId = null;
        _replayOpen = !_replayOpen;
    }

    /// <summary>Playground: the replay panel for this one LLM span.</summary>
    private void Rerun(SpanRecord span)
    {
        _rerunSpanId = span.SpanId;
        _replayOpen = true;
    }

    /// <summary>Selecting a span writes <c>?span=</c> (replacing history), so a link opens the same span.</summary>
    private Task SelectAsync(SpanRecord? span)
    {
        _selected = span;
        if (span is not null) _replayOpen = false; // the side panel shows one thing: the inspector wins on a click

        Nav.NavigateTo(Nav.GetUriWithQueryParameter("span", span?.SpanId), replace: true);
        return Task.CompletedTask;
    }
}
