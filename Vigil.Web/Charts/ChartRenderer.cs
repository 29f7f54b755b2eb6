using System.Collections.Concurrent;
using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using Vigil.Core.Drift;

namespace Vigil.Web.Charts;

/// <summary>
/// Renders the dashboard's charts as ScottPlot SVG on the server (inlined as markup). Output is cached by a key that
/// names the chart, its data version and the theme, so a chart is re-rendered when its data changes, not on every render.
/// </summary>
public sealed class ChartRenderer(ILogger<ChartRenderer> logger)
{
    public const int MaxCached = 256;

    private static readonly string[] Palette = ["#1e88e5", "#fb8c00", "#43a047", "#e53935", "#8e24aa", "#00acc1", "#6d4c41"];

    // ScottPlot's default font resolves to DejaVu Serif on Debian; the charts should match the sans-serif UI. Text is
    // measured with the server's font, and the browser gets a fallback list in case it lacks that one.
    private const string ServerFont = "DejaVu Sans";
    private const string BrowserFonts = "'DejaVu Sans', Roboto, Helvetica, Arial, sans-serif";
    private readonly ConcurrentDictionary<string, string> _cache = new();

    /// <summary>Baseline and current bin shares of an alert, overlaid (two bar series). Empty when it has no histogram.</summary>
    public string Distribution(DriftAlert alert, ChartTheme theme, int width = 560, int height = 300)
    {
        var key = $"dist:{alert.Id}:{alert.UpdatedAtUs}:{theme}:{width}x{height}";
        return Cached(key, () =>
        {
            var h = DriftHistogram.Parse(alert.Histogram);
            if (h is null || h.Baseline.Length == 0) return "";
            var plot = NewPlot(theme);
            var positions = Enumerable.Range(0, h.Baseline.Length).Select(i => (double)i).ToArray();
            // Shares carry PSI's epsilon: subtract it so the bars show the real percentage of spans.
            var baseline = plot.Add.Bars(positions, h.Baseline.Select(s => Math.Max(0, s - Psi.Epsilon) * 100).ToArray());
            baseline.LegendText = $"Baseline ({alert.BaselineCount})";
            baseline.Color = Color.FromHex(Palette[0]).WithAlpha(0.55);
            var current = plot.Add.Bars(positions, h.Current.Select(s => Math.Max(0, s - Psi.Epsilon) * 100).ToArray());
            current.LegendText = $"Current ({alert.CurrentCount})";
            current.Color = Color.FromHex(Palette[1]).WithAlpha(0.55);
            foreach (var bar in baseline.Bars.Concat(current.Bars)) bar.LineWidth = 0;
            // Each bin is labelled by its upper edge (bins are closed on the right).
            var labels = h.Binning == "binary" ? ["ok", "error"] : positions.Select(i => "≤" + Compact(h.Edges[(int)i + 1])).ToArray();
            plot.Axes.Bottom.TickGenerator = new NumericManual(positions, labels);
            plot.Axes.Margins(bottom: 0);
            plot.YLabel("% of spans");
            plot.XLabel($"{alert.Metric} bins ({h.Binning})");
            plot.ShowLegend(Alignment.UpperRight);
            return plot.GetSvgXml(width, height);
        });
    }

    /// <summary>PSI of the alert's group and metric at each run, with the medium and high thresholds.</summary>
    public string PsiHistory(DriftAlert alert, IReadOnlyList<DriftMeasurement> history, ChartTheme theme, int width = 560, int height = 300)
    {
        var last = history.Count == 0 ? 0 : history[^1].MeasuredAtUs;
        var key = $"psi:{alert.Id}:{history.Count}:{last}:{theme}:{width}x{height}";
        return Cached(key, () =>
        {
            var plot = NewPlot(theme);
            if (history.Count > 0)
            {
                var xs = history.Select(m => Vigil.Core.Storage.UnixMicros.ToDateTime(m.MeasuredAtUs).ToOADate()).ToArray();
                var line = plot.Add.Scatter(xs, history.Select(m => m.PsiScore).ToArray());
                line.LegendText = "PSI";
                line.Color = Color.FromHex(Palette[0]);
                line.LineWidth = 2;
                line.MarkerSize = 5;
                DateAxis(plot);
                ApplyTheme(plot, theme);
            }
            Threshold(plot, DriftSeverity.MediumThreshold, "#fb8c00", "medium");
            Threshold(plot, DriftSeverity.HighThreshold, "#e53935", "high");
            plot.Axes.SetLimitsY(0, Math.Max(0.3, history.Count == 0 ? 0 : history.Max(m => m.PsiScore) * 1.15));
            plot.YLabel("PSI");
            plot.ShowLegend(Alignment.UpperLeft);
            return plot.GetSvgXml(width, height);
        });
    }

    /// <summary>
    /// Lines over time, read as a person expects: the time axis spans exactly [<paramref name="from"/>, <paramref name="to"/>]
    /// (the chosen range, not the data's), the value axis starts at 0, and a null value breaks its line (no data) instead of
    /// being bridged. <paramref name="key"/> must change whenever the data does (e.g. include the window and a data version).
    /// </summary>
    public string Lines(string key, string yLabel, IReadOnlyList<TimeSeries> series, ChartTheme theme, DateTime from, DateTime to, int width = 560, int height = 260) =>
        Cached($"lines:{key}:{theme}:{width}x{height}", () => LinesPlot(yLabel, series, theme, from, to).GetSvgXml(width, height));

    internal static Plot LinesPlot(string yLabel, IReadOnlyList<TimeSeries> series, ChartTheme theme, DateTime from, DateTime to)
    {
        var plot = NewPlot(theme);
        var i = 0;
        var top = 0.0;
        foreach (var s in series)
        {
            var color = Color.FromHex(Palette[i % Palette.Length]);
            var labelled = false;
            foreach (var run in Runs(s))
            {
                var line = plot.Add.Scatter(run.Select(p => p.Time.ToOADate()).ToArray(), run.Select(p => p.Value).ToArray());
                line.Color = color;
                line.LineWidth = 2;
                line.MarkerSize = run.Count == 1 ? 5 : 0;
                if (!labelled) { line.LegendText = s.Label; labelled = true; }
                top = Math.Max(top, run.Max(p => p.Value));
            }
            if (labelled) i++;
        }
        DateAxis(plot);
        ApplyTheme(plot, theme);
        plot.Axes.SetLimitsX(from.ToOADate(), to.ToOADate());
        plot.Axes.SetLimitsY(0, top > 0 ? top * 1.1 : 1);
        plot.YLabel(yLabel);
        // Under the chart, in a row: inside the data area the box hid the first hours of the range.
        if (i > 0)
        {
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.Orientation = Orientation.Horizontal;
        }
        return plot;
    }

    /// <summary>The stretches of a series between null values.</summary>
    private static IEnumerable<List<(DateTime Time, double Value)>> Runs(TimeSeries s)
    {
        var run = new List<(DateTime, double)>();
        foreach (var (time, value) in s.Times.Zip(s.Values))
        {
            if (value is { } v && double.IsFinite(v)) { run.Add((time, v)); continue; }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    /// <summary>
    /// A monitor's recent values as a small line with its warning (orange) and critical (red) levels dashed across, no
    /// axes. <paramref name="key"/> must change with the data (e.g. the monitor id, sample count and last sample time).
    /// </summary>
    public string Sparkline(string key, IReadOnlyList<DateTime> times, IReadOnlyList<double?> values, double? warning, double? critical,
        ChartTheme theme, int width = 240, int height = 56)
    {
        return Cached($"spark:{key}:{warning}:{critical}:{theme}:{width}x{height}", () =>
        {
            var plot = NewPlot(theme);
            var points = times.Zip(values).Where(p => p.Second is not null).ToArray();
            var ys = points.Select(p => p.Second!.Value).ToList();
            if (points.Length > 0)
            {
                var line = plot.Add.Scatter(points.Select(p => p.First.ToOADate()).ToArray(), ys.ToArray());
                line.Color = Color.FromHex(Palette[0]);
                line.LineWidth = 2;
                line.MarkerSize = points.Length == 1 ? 4 : 0;
            }
            foreach (var (level, color) in new[] { (warning, "#fb8c00"), (critical, "#e53935") })
            {
                if (level is not { } y) continue;
                var h = plot.Add.HorizontalLine(y);
                h.Color = Color.FromHex(color);
                h.LinePattern = LinePattern.Dashed;
                h.LineWidth = 1;
                ys.Add(y);
            }
            if (ys.Count > 0)
            {
                var (lo, hi) = (ys.Min(), ys.Max());
                var pad = Math.Max((hi - lo) * 0.15, Math.Abs(hi) * 0.05 + 1e-9);
                plot.Axes.SetLimitsY(lo - pad, hi + pad);
            }
            if (points.Length == 1) plot.Axes.SetLimitsX(points[0].First.AddMinutes(-1).ToOADate(), points[0].First.AddMinutes(1).ToOADate());
            plot.Layout.Frameless();
            plot.HideGrid();
            return plot.GetSvgXml(width, height);
        });
    }

    private string Cached(string key, Func<string> render)
    {
        if (_cache.TryGetValue(key, out var svg)) return svg;
        try { svg = Responsive(StripDeclaration(render())).Replace($"font-family=\"{ServerFont}\"", $"font-family=\"{BrowserFonts}\"", StringComparison.Ordinal); }
        catch (Exception ex)
        {
            // A chart that fails to draw must not take the page down.
            logger.LogWarning(ex, "Chart {Key} failed to render", key);
            return "";
        }
        // Bounded: old keys (old data versions) are dropped wholesale rather than tracked individually.
        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[key] = svg;
        return svg;
    }

    private static Plot NewPlot(ChartTheme theme) => ApplyTheme(new Plot(), theme);

    /// <summary>Also called after DateTimeTicksBottom, which replaces the bottom axis (and with it the axis colours).</summary>
    private static Plot ApplyTheme(Plot plot, ChartTheme theme)
    {
        var fg = Color.FromHex(theme switch { ChartTheme.Dark => "#e0e0e0", ChartTheme.Light => "#37474f", _ => "#8a8a8a" });
        plot.Font.Set(ServerFont);
        plot.FigureBackground.Color = Colors.Transparent;
        plot.DataBackground.Color = Colors.Transparent;
        plot.Axes.Color(fg);
        plot.Grid.MajorLineColor = fg.WithAlpha(0.18);
        plot.Legend.FontColor = fg;
        plot.Legend.BackgroundColor = Colors.Transparent;
        plot.Legend.OutlineColor = fg.WithAlpha(0.35);
        plot.Legend.ShadowColor = Colors.Transparent;
        return plot;
    }

    /// <summary>Single-line date labels: the default two-line ones are cut off at the bottom of the SVG.</summary>
    private static void DateAxis(Plot plot)
    {
        var axis = plot.Axes.DateTimeTicksBottom();
        if (axis.TickGenerator is DateTimeAutomatic auto)
            auto.LabelFormatter = d => d.ToString(d.TimeOfDay == TimeSpan.Zero ? "MM-dd" : "MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    private static void Threshold(Plot plot, double y, string color, string label)
    {
        var line = plot.Add.HorizontalLine(y);
        line.Color = Color.FromHex(color);
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1;
        line.LegendText = label;
    }

    private static string Compact(double v) => Math.Abs(v) switch
    {
        >= 1_000_000 => (v / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => v.ToString("0", CultureInfo.InvariantCulture),
        >= 1 => v.ToString("0.##", CultureInfo.InvariantCulture),
        0 => "0",
        _ => v.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>Adds a viewBox from the root's width and height so CSS can scale the chart instead of cropping it.</summary>
    internal static string Responsive(string svg)
    {
        var end = svg.IndexOf('>');
        if (end < 0 || svg.AsSpan(0, end).Contains("viewBox", StringComparison.Ordinal)) return svg;
        var root = svg[..end];
        var w = System.Text.RegularExpressions.Regex.Match(root, "width=\"([0-9.]+)").Groups[1].Value;
        var h = System.Text.RegularExpressions.Regex.Match(root, "height=\"([0-9.]+)").Groups[1].Value;
        if (w.Length == 0 || h.Length == 0) return svg;
        return svg.Insert(svg.IndexOf("<svg", StringComparison.Ordinal) + 4, $" viewBox=\"0 0 {w} {h}\"");
    }

    internal static string StripDeclaration(string svg)
    {
        if (!svg.StartsWith("<?xml", StringComparison.Ordinal)) return svg;
        var end = svg.IndexOf("?>", StringComparison.Ordinal);
        return end < 0 ? svg : svg[(end + 2)..].TrimStart();
    }
}
