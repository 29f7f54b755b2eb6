using Vigil.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Vigil.Core.Drift;
using Vigil.Core.Live;
using Vigil.Core.Projects;
using Vigil.Web.Charts;
using Vigil.Web.Components.Live;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// Drift alerts of one project, updated live from the <see cref="LiveFeed"/>: drift events are coalesced for
/// <see cref="Throttle"/> and then the list is re-read once, so a burst of events costs one query and one render.
/// </summary>
public partial class Drift : IDisposable
{
    internal static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(200);

    [Inject] private ProjectContext Context { get; set; } = default!;
    [Inject] private DriftAlertService Alerts { get; set; } = default!;
    [Inject] private DriftDetector Detector { get; set; } = default!;
    [Inject] private LiveFeed Feed { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<Drift> Logger { get; set; } = default!;

    /// <summary>The app bar's project switcher sets it; the first project when absent.</summary>
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }

    /// <summary>Cascaded by a layout that knows the theme; without it charts use a palette readable on both.</summary>
    [CascadingParameter(Name = "DarkMode")] public bool? DarkMode { get; set; }

    private string? _projectId;
    private List<DriftAlert> _alerts = [];
    private DriftSummary? _summary;
    private DriftAlert? _selected;
    private IReadOnlyList<DriftMeasurement> _history = [];
    private bool _includeResolved;
    private bool _loading = true;
    private bool _running;
    private LiveFollower? _follower;

    private ChartTheme Theme => DarkMode switch { true => ChartTheme.Dark, false => ChartTheme.Light, null => ChartTheme.Neutral };

    protected override async Task OnParametersSetAsync()
    {
        var projectId = await Context.ResolveAsync();
        if (projectId != _projectId || _follower is null) await SwitchProjectAsync(projectId);
        _loading = false;
    }

    private async Task SwitchProjectAsync(string? projectId)
    {
        _projectId = projectId;
        _selected = null;
        _history = [];
        Unsubscribe();
        if (projectId is null) return;
        // Subscribe before loading so nothing committed in between is missed.
        // Span batches share the feed; only drift events re-read the list, once per burst.
        _follower = new LiveFollower(Feed, projectId, capacity: 256, e => e is DriftAlertEvent or DriftResolvedEvent, Throttle,
            () => InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }), Logger);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_projectId is null) return;
        _alerts = await Alerts.ListAsync(_projectId, _includeResolved);
        _summary = await Alerts.SummaryAsync(_projectId);
        if (_selected is not null)
        {
            // Keep the selection across reloads, with its latest values and PSI series.
            var fresh = _alerts.FirstOrDefault(a => a.Id == _selected.Id) ?? await Alerts.GetAsync(_projectId, _selected.Id);
            _selected = fresh;
            _history = fresh is null ? [] : await Alerts.HistoryAsync(fresh);
        }
        else if (_alerts.Count > 0) await SelectAlertAsync(_alerts[0]);
    }

    private async Task SelectAlertAsync(DriftAlert alert)
    {
        _selected = alert;
        _history = await Alerts.HistoryAsync(alert);
    }

    private async Task ResolveAsync(DriftAlert alert)
    {
        if (_projectId is null) return;
        await Alerts.ResolveAsync(_projectId, alert.Id);
        await LoadAsync();
    }

    private async Task ToggleResolvedAsync(bool include)
    {
        _includeResolved = include;
        await LoadAsync();
    }

    private async Task RunNowAsync()
    {
        if (_projectId is null) return;
        _running = true;
        try
        {
            var run = await Detector.RunAsync(_projectId);
            var open = run?.OpenAlerts.Count() ?? 0;
            Snackbar.Add(open == 0 ? "No drift detected." : $"{open} drifting group(s).", open == 0 ? Severity.Success : Severity.Warning);
            await LoadAsync();
        }
        finally { _running = false; }
    }

    private void Unsubscribe()
    {
        _follower?.Dispose();
        _follower = null;
    }

    public void Dispose()
    {
        Unsubscribe();
        GC.SuppressFinalize(this);
    }
}
