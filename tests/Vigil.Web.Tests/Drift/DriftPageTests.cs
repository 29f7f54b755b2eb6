using Bunit;
using MudBlazor;
using Vigil.Core.Drift;
using Vigil.Core.Live;
using DriftPage = Vigil.Web.Components.Pages.Drift;

namespace Vigil.Web.Tests.Drift;

public class DriftPageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Alert_card_appears_live_after_a_run_and_shows_both_charts()
    {
        await using var ctx = new DriftPageContext();
        await ctx.InitializeAsync();
        await ctx.SeedSlowLlmHourAsync();
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<DriftPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=drift-empty]")), Wait);

        // Detection runs outside the page (as the scheduler would): the card arrives through the live feed.
        await ctx.Get<DriftDetector>().RunAsync("p1");

        cut.WaitForAssertion(() =>
        {
            var card = Assert.Single(cut.FindAll("[data-testid=drift-alert-card]"));
            Assert.Equal("high", card.GetAttribute("data-severity"));
            Assert.Contains("llm", card.QuerySelector("[data-testid=alert-group]")!.TextContent);
        }, Wait);
        var distribution = cut.Find("[data-testid=drift-distribution-chart] svg");
        Assert.Contains("Baseline", distribution.OuterHtml);
        Assert.Contains("Current", distribution.OuterHtml);
        Assert.DoesNotContain("<?xml", cut.Find("[data-testid=drift-distribution-chart]").InnerHtml);
        Assert.NotNull(cut.Find("[data-testid=drift-psi-chart] svg"));
    }

    [Fact]
    public async Task Resolving_a_card_removes_it_and_pushes_drift_resolved()
    {
        await using var ctx = new DriftPageContext();
        await ctx.InitializeAsync();
        await ctx.SeedSlowLlmHourAsync();
        var alert = Assert.Single((await ctx.Get<DriftDetector>().RunAsync("p1"))!.Opened);
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<DriftPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=drift-alert-card]")), Wait);
        using var live = ctx.Get<LiveFeed>().Subscribe("p1");

        await cut.Find("[data-testid=resolve-alert] button, button[data-testid=resolve-alert]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=drift-alert-card]")), Wait);
        Assert.True(live.Reader.TryRead(out var e));
        Assert.Equal(alert.Id, Assert.IsType<DriftResolvedEvent>(e).Alert.Id);
        Assert.True((await ctx.Get<DriftAlertService>().GetAsync("p1", alert.Id))!.Resolved);
    }

    [Fact]
    public async Task Disposing_the_page_ends_its_live_subscription()
    {
        await using var ctx = new DriftPageContext();
        await ctx.InitializeAsync();
        var feed = ctx.Get<LiveFeed>();
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<DriftPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, feed.SubscriberCount), Wait);

        await ctx.DisposeComponentsAsync();

        Assert.Equal(0, feed.SubscriberCount);
    }

    [Fact]
    public async Task Settings_are_saved_for_the_project()
    {
        await using var ctx = new DriftPageContext();
        await ctx.InitializeAsync();
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<Vigil.Web.Components.DriftAlerts.DriftSettingsPanel>(p => p.Add(x => x.ProjectId, "p1"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=drift-settings-save]"), Wait);

        cut.Find("input[data-testid=drift-enabled]").Change(false);
        await cut.Find("[data-testid=drift-settings-save]").ClickAsync(new());

        // Off the renderer's thread: blocking it on a database call that completes asynchronously would deadlock.
        cut.WaitForAssertion(() => Assert.False(Task.Run(() => ctx.Get<DriftSettingsService>().GetAsync("p1")).GetAwaiter().GetResult()!.Enabled), Wait);
    }
}
