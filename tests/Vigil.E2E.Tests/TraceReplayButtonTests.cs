using Microsoft.Playwright;
using Vigil.E2E.Tests.Infrastructure;

namespace Vigil.E2E.Tests;

public partial class DashboardTests
{
    [Fact]
    public async Task The_trace_view_opens_the_replay_panel_with_its_llm_spans()
    {
        var page = await fx.OpenAsync($"/traces/{Seed.AgentTraceId}");
        await page.Locator("[data-testid=open-replay]").ClickAsync();
        var panel = page.Locator("[data-testid=replay-panel]");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator("[data-testid=replay-span]")).ToHaveCountAsync(2); // the agent trace's two LLM calls
        await fx.ScreenshotAsync(page, "17-trace-view-replay-panel");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_inspector_re_runs_one_llm_span_playground_style()
    {
        var page = await fx.OpenAsync($"/traces/{Seed.AgentTraceId}");
        await page.Locator("[data-testid=span-row][data-span-id=answer]").ClickAsync();
        await page.Locator("[data-testid=inspector-rerun]").ClickAsync();
        var panel = page.Locator("[data-testid=replay-panel]");
        await Assertions.Expect(panel).ToContainTextAsync("Re-run this span");
        await Assertions.Expect(panel.Locator("[data-testid=replay-span]")).ToHaveCountAsync(1);
        await page.CloseAsync();
    }
}
