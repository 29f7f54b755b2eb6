using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Live;
using Vigil.Web.Components.Live;

namespace Vigil.Web.Tests.Components;

public class LiveSpanBufferTests
{
    private static SpanSummary Span(string id, string kind = "llm", DateTime? end = null) =>
        new("t", id, null, "n-" + id, kind, end is null ? "unset" : "ok", DateTime.UtcNow, end, null, null, null, null, null);

    [Fact]
    public void Keeps_the_newest_up_to_its_capacity()
    {
        var buffer = new LiveSpanBuffer(capacity: 3);
        buffer.Add([Span("a"), Span("b"), Span("c"), Span("d")]);
        Assert.Equal(["d", "c", "b"], buffer.Snapshot(new LiveFilter()).Select(s => s.SpanId));
    }

    [Fact]
    public void A_span_sent_again_replaces_its_row()
    {
        var buffer = new LiveSpanBuffer();
        buffer.Add([Span("a"), Span("b")]);
        buffer.Add([Span("a", end: DateTime.UtcNow)]);
        var rows = buffer.Snapshot(new LiveFilter());
        Assert.Equal(["a", "b"], rows.Select(s => s.SpanId));
        Assert.NotNull(rows[0].EndTime);
    }

    [Fact]
    public void Filters_by_kind_and_name()
    {
        var buffer = new LiveSpanBuffer();
        buffer.Add([Span("a", "llm"), Span("b", "tool")]);
        Assert.Equal(["b"], buffer.Snapshot(new LiveFilter(Kind: "tool")).Select(s => s.SpanId));
        Assert.Equal(["a"], buffer.Snapshot(new LiveFilter(Name: "N-A")).Select(s => s.SpanId));
    }

    [Fact]
    public void Rate_counts_spans_in_the_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var buffer = new LiveSpanBuffer(time: time);
        buffer.Add([Span("a"), Span("b")]);
        time.Advance(TimeSpan.FromSeconds(1));
        buffer.Add([Span("c"), Span("d"), Span("e")]);
        Assert.Equal(1.0, buffer.Rate(TimeSpan.FromSeconds(5)));
        time.Advance(TimeSpan.FromSeconds(4.5));
        Assert.Equal(0.6, buffer.Rate(TimeSpan.FromSeconds(5)), 6); // the first two fell out of the window
    }
}
