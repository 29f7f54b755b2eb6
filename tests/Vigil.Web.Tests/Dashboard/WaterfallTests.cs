using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

public class WaterfallTests
{
    [Fact]
    public void Bar_is_placed_by_offset_and_sized_by_duration()
    {
        var bar = Waterfall.Bar(startUs: 250, endUs: 750, traceStartUs: 0, traceEndUs: 1000);
        Assert.Equal(25, bar.LeftPercent);
        Assert.Equal(50, bar.WidthPercent);
    }

    [Fact]
    public void Tiny_spans_get_a_minimum_visible_width()
    {
        var bar = Waterfall.Bar(100, 100, 0, 1_000_000);
        Assert.Equal(Waterfall.MinWidthPercent, bar.WidthPercent);
    }

    [Fact]
    public void A_tiny_span_at_the_very_end_stays_inside_the_track()
    {
        var bar = Waterfall.Bar(1000, 1000, 0, 1000);
        Assert.Equal(100 - Waterfall.MinWidthPercent, bar.LeftPercent, 3);
        Assert.True(bar.LeftPercent + bar.WidthPercent <= 100.0001);
    }

    [Fact]
    public void A_running_span_reaches_the_trace_end()
    {
        var bar = Waterfall.Bar(400, null, 0, 1000);
        Assert.Equal(40, bar.LeftPercent);
        Assert.Equal(60, bar.WidthPercent);
    }

    [Fact]
    public void A_zero_length_trace_does_not_divide_by_zero()
    {
        var bar = Waterfall.Bar(5, 5, 5, 5);
        Assert.Equal(0, bar.LeftPercent);
        Assert.Equal(Waterfall.MinWidthPercent, bar.WidthPercent);
    }

    [Theory]
    [InlineData("llm", "vk-llm")]
    [InlineData("tool", "vk-tool")]
    [InlineData("weird\" onclick=\"x", "vk-custom")]
    public void Kind_colours_come_from_a_fixed_set(string kind, string css) => Assert.Equal(css, Waterfall.KindClass(kind));
}
