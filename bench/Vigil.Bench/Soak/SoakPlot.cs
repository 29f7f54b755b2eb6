using ScottPlot;

namespace Vigil.Bench.Soak;

/// <summary>Server memory over the soak as an SVG (ScottPlot, as the dashboard renders its charts) for docs/benchmarks.md.</summary>
public static class SoakPlot
{
    public static string MemorySvg(IReadOnlyList<MemorySampler.Sample> samples, string title)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(samples.Select(s => s.Minute).ToArray(), samples.Select(s => s.RssMb).ToArray());
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.LegendText = "server RSS (MB)";
        plot.Title(title);
        plot.XLabel("minute");
        plot.YLabel("MB");
        plot.Axes.SetLimitsY(0, samples.Max(s => s.RssMb) * 1.15);
        plot.Axes.SetLimitsX(0, Math.Ceiling(samples.Max(s => s.Minute)));
        var svg = plot.GetSvgXml(900, 360);
        return svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;
    }
}
