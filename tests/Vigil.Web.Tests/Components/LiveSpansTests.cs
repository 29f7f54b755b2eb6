using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Live;
using Vigil.Web.Components.Pages;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Components;

public class LiveSpansTests : VigilComponentTest
{
    private static SpansEvent Batch(int from, int count) => new("p1", Enumerable.Range(from, count).Select(i =>
        new SpanSummary($"t{i / 10}", $"s{i}", null, $"span-{i}", i % 2 == 0 ? "llm" : "tool", "ok",
            DateTime.UtcNow, DateTime.UtcNow, 12, i % 2 == 0 ? "gpt-4o" : null, null, null, null)).ToList());

    [Fact]
    public void A_burst_of_events_causes_a_bounded_number_of_refreshes()
    {
        var cut = Render<LiveSpans>(p => p.Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(150)));
        var feed = Services.GetRequiredService<LiveFeed>();
        Subscribed(cut, feed);

        for (var i = 0; i < 500; i++) feed.Publish(Batch(i, 1));

        // The list is virtualized, so count what the page says it holds rather than rendered rows.
        cut.WaitForAssertion(() => Assert.Equal("500 spans", cut.Find("[data-testid=live-count]").TextContent.Trim()), TimeSpan.FromSeconds(5));
        // 500 events within a few hundred milliseconds: a handful of refreshes, never one per event.
        Assert.InRange(cut.Instance.RefreshCount, 1, 10);
    }

    [Fact]
    public async Task Disposing_the_page_removes_its_subscription()
    {
        var feed = Services.GetRequiredService<LiveFeed>();
        var cut = Render<LiveSpans>();
        Subscribed(cut, feed);
        await DisposeComponentsAsync();
        Assert.Equal(0, feed.SubscriberCount);
    }

    [Fact]
    public void Pause_holds_new_spans_and_shows_their_count_until_resume()
    {
        var feed = Services.GetRequiredService<LiveFeed>();
        var cut = Render<LiveSpans>(p => p.Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(20)));
        Subscribed(cut, feed);
        feed.Publish(Batch(0, 3));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=live-row]").Count));

        cut.Find("[data-testid=live-pause]").Click();
        feed.Publish(Batch(100, 4));
        cut.WaitForAssertion(() => Assert.Contains("Paused · 4 new", cut.Find("[data-testid=live-state]").TextContent));
        Assert.Equal(3, cut.FindAll("[data-testid=live-row]").Count);

        cut.Find("[data-testid=live-resume]").Click();
        cut.WaitForAssertion(() => Assert.Equal(7, cut.FindAll("[data-testid=live-row]").Count));
    }

    [Fact]
    public void Span_names_are_rendered_as_text()
    {
        var feed = Services.GetRequiredService<LiveFeed>();
        var cut = Render<LiveSpans>(p => p.Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(20)));
        Subscribed(cut, feed);
        feed.Publish(new SpansEvent("p1", [new SpanSummary("t", "s", null, "<img src=x onerror=alert(1)>", "tool", "ok", DateTime.UtcNow, null, null, null, null, null, null)]));
        cut.WaitForAssertion(() => Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", cut.Markup));
        Assert.Empty(cut.FindAll("img[src=x]"));
    }

    /// <summary>The page subscribes once it has resolved its project (a database read): events before that are not its.</summary>
    private static void Subscribed(IRenderedComponent<LiveSpans> cut, LiveFeed feed) =>
        cut.WaitForAssertion(() => Assert.Equal(1, feed.SubscriberCount), TimeSpan.FromSeconds(10));
}
