using Microsoft.AspNetCore.Components;
using Vigil.Core.Sessions;
using Vigil.Web.Charts;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.Pages;

/// <summary>One end user: rollups, cost over time (a ScottPlot chart rendered on the server) and their most recent sessions.</summary>
public partial class UserView
{
    private static readonly (string Key, string Label, TimeSpan Span, TimeSpan Bucket)[] Ranges =
    [
        ("24h", "Last 24 hours", TimeSpan.FromHours(24), TimeSpan.FromHours(1)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7), TimeSpan.FromHours(6)),
        ("30d", "Last 30 days", TimeSpan.FromDays(30), TimeSpan.FromDays(1)),
        ("90d", "Last 90 days", TimeSpan.FromDays(90), TimeSpan.FromDays(1)),
    ];

    [Inject] private EndUserQueryService Users { get; set; } = null!;
    [Inject] private ProjectContext Context { get; set; } = null!;
    [Inject] private ChartRenderer Renderer { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter] public string UserId { get; set; } = "";
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }
    [CascadingParameter(Name = "DarkMode")] public bool? DarkMode { get; set; }

    private string? _projectId;
    private EndUserDetail? _user;
    private IReadOnlyList<UsagePoint> _usage = [];
    // Every bucket of the range (empty ones at zero), so the chart spans the whole range, not only the active days.
    private IReadOnlyList<UsagePoint> _filled = [];
    private string _range = "30d";
    private bool _loading = true;
    private DateTimeOffset _now;
    private long _version;

    private ChartTheme Theme => DarkMode switch { true => ChartTheme.Dark, false => ChartTheme.Light, null => ChartTheme.Neutral };

    protected override async Task OnParametersSetAsync()
    {
        _projectId = await Context.ResolveAsync();
        _loading = true;
        _now = Time.GetUtcNow();
        _user = _projectId is null ? null : await Users.GetAsync(_projectId, UserId);
        await LoadUsageAsync();
        _loading = false;
    }

    private async Task SelectRangeAsync(string range)
    {
        _range = range;
        await LoadUsageAsync();
    }

    private async Task LoadUsageAsync()
    {
        if (_projectId is null || _user is null) { _usage = []; return; }
        var (_, _, span, bucket) = Ranges.First(r => r.Key == _range);
        // Buckets aligned to whole hours or days, so the chart's points do not move from one load to the next.
        var end = Align(_now, bucket) + bucket;
        _usage = await Users.UsageAsync(_projectId, UserId, end - span, end, bucket);
        var byTime = _usage.ToDictionary(p => p.Time);
        _filled = Enumerable.Range(0, (int)(span / bucket)).Select(i => (end - span + bucket * i).UtcDateTime)
            .Select(t => byTime.GetValueOrDefault(t) ?? new UsagePoint(t, 0, 0, 0)).ToList();
        _version++;
    }

    private static DateTimeOffset Align(DateTimeOffset t, TimeSpan bucket) => new(t.UtcTicks - t.UtcTicks % bucket.Ticks, TimeSpan.Zero);

    private string CostChart() => Renderer.Lines($"user-cost:{_projectId}:{UserId}:{_range}:{_version}", "USD",
        [new TimeSeries("cost (USD)", _filled.Select(p => p.Time).ToList(), _filled.Select(p => (double?)p.CostUsd).ToList())], Theme,
        _filled.Count > 0 ? _filled[0].Time : _now.UtcDateTime, _filled.Count > 0 ? _filled[^1].Time : _now.UtcDateTime);
}
