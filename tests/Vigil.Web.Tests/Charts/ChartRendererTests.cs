using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Drift;
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
        var lines = renderer.Lines("k1", "ms", [new TimeSeries("llm", [t, t.AddHours(1)], [1.0, null])], ChartTheme.Light);
        Assert.Contains("llm", lines);
    }
}
