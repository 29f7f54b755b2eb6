using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>Where a span's bar sits on the waterfall, in percent of the trace's time span.</summary>
public readonly record struct WaterfallBar(double LeftPercent, double WidthPercent);

/// <summary>Waterfall geometry: bars placed by start offset and sized by duration, never thinner than a visible minimum.</summary>
public static class Waterfall
{
    /// <summary>Thin enough not to mislead, wide enough to see and click.</summary>
    public const double MinWidthPercent = 0.4;

    /// <param name="traceStartUs">Left edge (the earliest span start).</param>
    /// <param name="traceEndUs">Right edge; running spans (no end) reach it.</param>
    public static WaterfallBar Bar(long startUs, long? endUs, long traceStartUs, long traceEndUs)
    {
        var total = (double)Math.Max(1, traceEndUs - traceStartUs);
        var left = Math.Clamp((startUs - traceStartUs) / total * 100, 0, 100);
        var end = endUs ?? Math.Max(traceEndUs, startUs);
        var width = Math.Clamp((end - startUs) / total * 100, 0, 100);
        if (width < MinWidthPercent) width = MinWidthPercent;
        // Keep the bar inside the track: a tiny span at the very end shifts left rather than overflowing.
        if (left + width > 100) left = Math.Max(0, 100 - width);
        return new WaterfallBar(Math.Round(left, 3), Math.Round(width, 3));
    }

    public static WaterfallBar Bar(SpanRecord span, SpanTree tree) => Bar(span.StartTimeUs, span.EndTimeUs, tree.StartUs, tree.EndUs);

    /// <summary>CSS class of a span kind's colour (see app.css).</summary>
    public static string KindClass(string kind) => kind switch
    {
        SpanKind.Llm or SpanKind.Tool or SpanKind.Chain or SpanKind.Retriever or SpanKind.Agent => "vk-" + kind,
        _ => "vk-custom",
    };
}
