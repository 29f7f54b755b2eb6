using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Vigil.Core.Accounts;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Drift;
using Vigil.Core.Live;
using Vigil.Core.Storage;
using Vigil.Web.Charts;
using Vigil.Web.Components.Alerting;
using Vigil.Web.Components.Live;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// The project's alerting at a glance: open drift and monitor alerts together, every monitor with its state, last value and
/// a sparkline against its levels, silencing, the history of changes, and the channels with their delivery logs. Monitor
/// evaluations, state changes and drift events re-read it live (throttled).
/// </summary>
public partial class Alerts : IDisposable
{
    internal static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(250);
    internal static readonly (int Minutes, string Label)[] SilenceChoices = [(60, "Silence 1 hour"), (240, "Silence 4 hours"), (1440, "Silence 24 hours")];

    [Inject] private ProjectContext Context { get; set; } = default!;
    [Inject] private MonitorService Monitors { get; set; } = default!;
    [Inject] private DriftAlertService Drift { get; set; } = default!;
    [Inject] private LiveFeed Feed { get; set; } = default!;
    [Inject] private ChartRenderer Charts { get; set; } = default!;
    [Inject] private IOptions<AlertingOptions> Options { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private ILogger<Alerts> Logger { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }
    [CascadingParameter(Name = "DarkMode")] public bool? DarkMode { get; set; }
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }

    private string? _projectId;
    private bool _loading = true;
    private bool _isAdmin;
    private List<AlertMonitor> _monitors = [];
    private Dictionary<long, List<MonitorSample>> _samples = [];
    private List<OpenAlertRow> _open = [];
    private List<HistoryRow> _history = [];
    private Editing? _editing;
    private long? _confirmDelete;
    private LiveFollower? _follower;

    private sealed record Editing(AlertMonitor? Monitor);

    private long NowUs => UnixMicros.Now(Time);
    private int SparkHours => Options.Value.SampleRetentionHours;
    private ChartTheme Theme => DarkMode switch { true => ChartTheme.Dark, false => ChartTheme.Light, null => ChartTheme.Neutral };

    protected override async Task OnParametersSetAsync()
    {
        _isAdmin = AuthState is not null && (await AuthState).User.IsInRole(VigilRoles.Admin);
        var projectId = await Context.ResolveAsync();
        if (projectId != _projectId || _follower is null) await SwitchProjectAsync(projectId);
        _loading = false;
    }

    private async Task SwitchProjectAsync(string? projectId)
    {
        _projectId = projectId;
        _editing = null;
        _follower?.Dispose();
        _follower = null;
        if (projectId is null) return;
        // Subscribe before loading so nothing committed in between is missed.
        if (RendererInfo.IsInteractive)
            _follower = new LiveFollower(Feed, projectId, capacity: 256,
                e => e is MonitorStateEvent or MonitorsEvaluatedEvent or DriftAlertEvent or DriftResolvedEvent, Throttle,
                () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), Logger);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_projectId is not { } projectId) return;
        _monitors = await Monitors.ListAsync(projectId);
        _samples = await Monitors.SamplesAsync(projectId);
        var openDrift = await Drift.ListAsync(projectId, includeResolved: false);
        var recentDrift = await Drift.ListAsync(projectId, includeResolved: true, limit: 50);
        var changes = await Monitors.HistoryAsync(projectId, limit: 50);

        _open = _monitors.Where(m => m.State != MonitorState.Ok)
            .Select(m => new OpenAlertRow("monitor", m.State, m.Name,
                m.StateReason == MonitorReason.NoData ? $"no spans for {m.NoDataMinutes} min" : $"{MonitorMetric.Label(m.Metric)} {AlertFormat.Value(m.Metric, m.LastValue)} ({AlertFormat.Thresholds(m)})",
                m.StateSinceUs, "/alerts", m.Id))
            .Concat(openDrift.Select(a => new OpenAlertRow("drift", AlertSeverity.Level(a.Severity) ?? AlertSeverity.Warning,
                $"{a.Metric} of {new DriftGroup(a.SpanKind, a.SpanName, a.Model)}",
                string.Create(CultureInfo.InvariantCulture, $"PSI {a.PsiScore:0.###} ({a.Severity}); {a.BaselineValue:0.##} → {a.CurrentValue:0.##}"), a.CreatedAtUs, "/drift", a.Id)))
            .OrderByDescending(a => AlertSeverity.Rank(a.Level)).ThenByDescending(a => a.SinceUs)
            .ToList();

        _history = changes.Select(c => new HistoryRow("monitor", c.FromState, c.ToState, c.MonitorName,
                c.Reason == MonitorReason.NoData ? "no data" : $"{MonitorMetric.Label(c.Metric)} {AlertFormat.Value(c.Metric, c.Value)}", c.AtUs, c.Silenced))
            .Concat(recentDrift.Select(a => new HistoryRow("drift", "ok", a.Severity, $"{a.Metric} of {new DriftGroup(a.SpanKind, a.SpanName, a.Model)}",
                string.Create(CultureInfo.InvariantCulture, $"PSI {a.PsiScore:0.###}"), a.CreatedAtUs, false)))
            .Concat(recentDrift.Where(a => a.ResolvedAtUs is not null).Select(a => new HistoryRow("drift", a.Severity, "resolved",
                $"{a.Metric} of {new DriftGroup(a.SpanKind, a.SpanName, a.Model)}", "", a.ResolvedAtUs!.Value, false)))
            .OrderByDescending(h => h.AtUs)
            .Take(50)
            .ToList();
    }

    private string Sparkline(AlertMonitor m)
    {
        var samples = _samples.GetValueOrDefault(m.Id) ?? [];
        if (samples.Count == 0) return "";
        return Charts.Sparkline($"{m.Id}:{samples.Count}:{samples[^1].AtUs}", samples.Select(s => UnixMicros.ToDateTime(s.AtUs)).ToList(),
            samples.Select(s => s.Value).ToList(), m.Warning, m.Critical, Theme);
    }

    private void NewMonitor() => _editing = new Editing(null);

    private void Edit(AlertMonitor m) => _editing = new Editing(m);

    private async Task OnSavedAsync(AlertMonitor saved)
    {
        _editing = null;
        await LoadAsync();
    }

    private async Task SilenceAsync(AlertMonitor m, int minutes)
    {
        if (_projectId is null) return;
        await Monitors.SilenceAsync(_projectId, m.Id, minutes);
        await LoadAsync();
    }

    private async Task DeleteAsync(AlertMonitor m)
    {
        _confirmDelete = null;
        if (_projectId is null) return;
        await Monitors.DeleteAsync(_projectId, m.Id);
        await LoadAsync();
    }

    public void Dispose()
    {
        _follower?.Dispose();
        GC.SuppressFinalize(this);
    }
}
