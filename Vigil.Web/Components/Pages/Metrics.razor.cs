using Vigil.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Vigil.Core.Metrics;
using Vigil.Core.Projects;
using Vigil.Core.Scores;
using Vigil.Web.Charts;

namespace Vigil.Web.Components.Pages;

/// <summary>
/// Latency percentiles, error rate, tokens, cost and span counts per kind over time, and the average of each numeric score
/// name, as server-rendered charts. Every chart spans the chosen range exactly, one point per bucket (at its middle):
/// counts, tokens and cost are 0 in a bucket without spans, latency and error rate have no value there (the line breaks).
/// </summary>
public partial class Metrics
{
    private static readonly (string Key, string Label)[] Ranges = [("1h", "Last hour"), ("6h", "Last 6 hours"), ("24h", "Last 24 hours"), ("7d", "Last 7 days")];
    private const string AllKinds = "all";

    [Inject] private ProjectContext Context { get; set; } = default!;
    [Inject] private MetricsService MetricsService { get; set; } = default!;
    [Inject] private ScoreStatsService ScoreStats { get; set; } = default!;
    [Inject] private ChartRenderer Renderer { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The app bar's project switcher sets it; the first project when absent.</summary>
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParam { get; set; }
    [CascadingParameter(Name = "DarkMode")] public bool? DarkMode { get; set; }

    private string? _projectId;
    private string _range = "24h";
    private string _bucket = "1h";
    private string _kind = AllKinds;
    private List<string> _kinds = [AllKinds];
    private MetricsResult? _result;
    private IReadOnlyList<ScoreSeries> _scores = [];
    // Bumped on every load so chart cache keys change with the data, and only then.
    private long _version;

    private ChartTheme Theme => DarkMode switch { true => ChartTheme.Dark, false => ChartTheme.Light, null => ChartTheme.Neutral };

    protected override async Task OnParametersSetAsync()
    {
        _projectId = await Context.ResolveAsync();
        await LoadAsync();
    }

    private async Task SelectRangeAsync(string range)
    {
        _range = range;
        await LoadAsync();
    }

    private Task SelectKindAsync(string kind)
    {
        _kind = kind;
        return Task.CompletedTask;
    }

    private async Task LoadAsync()
    {
        if (_projectId is null) { _result = new MetricsResult(default, default, default, []); return; }
        var span = _range switch { "1h" => TimeSpan.FromHours(1), "6h" => TimeSpan.FromHours(6), "7d" => TimeSpan.FromDays(7), _ => TimeSpan.FromHours(24) };
        _bucket = MetricsBucket.Suggest(span);
        MetricsBucket.TryParse(_bucket, out var width);
        var end = Time.GetUtcNow();
        _result = await MetricsService.GetAsync(_projectId, end - span, end, width);
        _scores = await ScoreStats.SeriesAsync(_projectId, _result.Start, _result.End, width);
        _kinds = [AllKinds, .. _result.Series.Select(s => s.Kind)];
        if (!_kinds.Contains(_kind)) _kind = AllKinds;
        _version++;
    }

    private IEnumerable<(string Title, string TestId, string Svg)> Charts()
    {
        var r = _result!;
        var key = $"{_projectId}:{_range}:{_version}";
        var grid = BucketGrid.Of(r.Start, r.End, r.Bucket);
        var latencySeries = _kind == AllKinds
            ? r.Series.Select(s => grid.Line(s.Kind + " p95", s, p => p.LatencyP95, empty: null)).ToList()
            : r.Series.Where(s => s.Kind == _kind).SelectMany(s => new[]
              {
                  grid.Line("p50", s, p => p.LatencyP50, null), grid.Line("p95", s, p => p.LatencyP95, null), grid.Line("p99", s, p => p.LatencyP99, null),
              }).ToList();
        yield return (_kind == AllKinds ? "Latency p95 by kind (ms)" : $"Latency of {_kind}: p50 / p95 / p99 (ms)", "metrics-latency",
            Renderer.Lines($"latency:{key}:{_kind}", "ms", latencySeries, Theme, r.Start, r.End));
        yield return ("Error rate by kind (%)", "metrics-errors",
            Renderer.Lines($"errors:{key}", "%", r.Series.Select(s => grid.Line(s.Kind, s, p => p.ErrorRate * 100, null)).ToList(), Theme, r.Start, r.End));
        yield return ("Tokens by kind", "metrics-tokens",
            Renderer.Lines($"tokens:{key}", "tokens", r.Series.Select(s => grid.Line(s.Kind, s, p => p.Tokens, 0)).ToList(), Theme, r.Start, r.End));
        yield return ("Cost by kind (USD)", "metrics-cost",
            Renderer.Lines($"cost:{key}", "USD", r.Series.Select(s => grid.Line(s.Kind, s, p => p.CostUsd, 0)).ToList(), Theme, r.Start, r.End));
        yield return ("Spans by kind", "metrics-spans",
            Renderer.Lines($"spans:{key}", "spans", r.Series.Select(s => grid.Line(s.Kind, s, p => p.SpanCount, 0)).ToList(), Theme, r.Start, r.End));
        // Scores are sparse (feedback, evaluations): a line joins the buckets that have any, each at the start of its bucket.
        if (_scores.Count > 0)
            yield return ("Average score by name (numeric and yes/no scores)", "metrics-scores",
                Renderer.Lines($"scores:{key}", "mean", _scores.Select(s =>
                    new TimeSeries(s.Name, s.Points.Select(p => p.Time).ToList(), s.Points.Select(p => (double?)p.Mean).ToList())).ToList(), Theme, r.Start, r.End));
    }
}
