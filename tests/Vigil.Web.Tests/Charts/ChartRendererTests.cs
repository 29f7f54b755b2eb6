using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Drift;
using Vigil.Core.Metrics;
using Vigil.Web.Charts;

namespace Vigil.Web.Tests.Charts;

public class ChartRendererTests
{
    private static DriftAlert Alert(long updatedAt = 1) => new()
    {
        Id = 7, ProjectId = "p", SpanKind = "llm", Metric = "latency", Severity = "high", UpdatedAtUs = updatedAt,
        BaselineCount = 50, CurrentCount = 20,
        Histogram = DriftHistogram.From(Psi.Quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [8, 9, 10, 11, 12]), "quantile").ToJson(),
    };

    [Theory]
    [InlineData(ChartTheme.Light)]
    [InlineData(ChartTheme.Dark)]
    public void Distribution_is_an_inline_scalable_svg_with_both_series(ChartTheme theme)
    {
        var svg = new ChartRenderer(NullLogger<ChartRenderer>.Instance).Distribution(Alert(), theme);
        Assert.StartsWith("<svg", svg);
        Assert.Contains("viewBox=\"0 0 560 300\"", svg);
        Assert.Contains("Baseline (50)", svg);
        Assert.Contains("Current (20)", svg);
    }

    [Fact]
    public void Chart_text_is_sans_serif_like_the_rest_of_the_dashboard()
    {
        var svg = new ChartRenderer(NullLogger<ChartRenderer>.Instance).Distribution(Alert(), ChartTheme.Light);
        var families = System.Text.RegularExpressions.Regex.Matches(svg, "font-family=\"([^\"]*)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(families);
        Assert.All(families, f => Assert.EndsWith("sans-serif", f));
    }

    [Fact]
    public void Charts_are_cached_until_their_data_changes()
    {
        var renderer = new ChartRenderer(NullLogger<ChartRenderer>.Instance);
        var first = renderer.Distribution(Alert(1), ChartTheme.Light);
        Assert.Same(first, renderer.Distribution(Alert(1), ChartTheme.Light));
        Assert.NotSame(first, renderer.Distribution(Alert(2), ChartTheme.Light));
        Assert.NotEqual(first, renderer.Distribution(Alert(1), ChartTheme.Dark));
    }

    [Fact]
    public void An_alert_without_a_histogram_renders_nothing()
    {
        var alert = Alert();
        alert.Histogram = null;
        Assert.Equal("", new ChartRenderer(NullLogger<ChartRenderer>.Instance).Distribution(alert, ChartTheme.Neutral));
    }

    [Fact]
    public void Psi_history_and_lines_render()
    {
        var renderer = new ChartRenderer(NullLogger<ChartRenderer>.Instance);
        var history = Enumerable.Range(0, 3).Select(i => new DriftMeasurement
        {
            ProjectId = "p", SpanKind = "llm", Metric = "latency", PsiScore = 0.05 * i, MeasuredAtUs = 1_760_000_000_000_000 + i * 3_600_000_000L,
        }).ToList();
        Assert.Contains("PSI", renderer.PsiHistory(Alert(), history, ChartTheme.Dark));
        var t = DateTime.UtcNow;
        var lines = renderer.Lines("k1", "ms", [new TimeSeries("llm", [t, t.AddHours(1)], [1.0, null])], ChartTheme.Light, t.AddHours(-1), t.AddHours(2));
        Assert.Contains("llm", lines);
    }

    [Fact]
    public void Lines_span_the_range_start_at_zero_and_break_at_gaps()
    {
        var from = new DateTime(2026, 1, 1, 10, 23, 0, DateTimeKind.Utc);
        var to = from.AddHours(6);
        var grid = BucketGrid.Of(from, to, TimeSpan.FromHours(1));
        Assert.Equal(7, grid.Count); // 10:23-11:00, five whole hours, 16:00-16:23
        var series = new MetricsSeries("llm",
        [
            new MetricsPoint(from, 4, 1, 0.25, 100, 120, 130, 10, 0.1),
            new MetricsPoint(from.Date.AddHours(13), 2, 0, 0, 90, 95, 99, 5, 0.05),
            new MetricsPoint(from.Date.AddHours(14), 1, 0, 0, 80, 80, 80, 5, 0.05),
        ]);
        var counts = grid.Line("llm", series, p => p.SpanCount, empty: 0);
        Assert.Equal([4.0, 0, 0, 2, 1, 0, 0], counts.Values);
        Assert.Equal(from.AddMinutes(18.5), counts.Times[0]); // the middle of 10:23-11:00
        var rates = grid.Line("llm", series, p => p.ErrorRate, empty: null);
        Assert.Equal([0.25, null, null, 0, 0, null, null], rates.Values);

        var plot = ChartRenderer.LinesPlot("%", [rates], ChartTheme.Light, from, to);
        var limits = plot.Axes.GetLimits();
        Assert.Equal(0, limits.Bottom); // rates from 0, even when every value is 0
        Assert.Equal(from.ToOADate(), limits.Left, 9);
        Assert.Equal(to.ToOADate(), limits.Right, 9);
        Assert.Equal(2, plot.GetPlottables<ScottPlot.Plottables.Scatter>().Count()); // the gap breaks the line in two
    }
}
