using System.Text.Json;
using Microsoft.Playwright;
using Vigil.E2E.Tests.Infrastructure;

namespace Vigil.E2E.Tests;

/// <summary>History in the browser: the trace list's Export button downloads the filtered view; Settings shows retention.</summary>
public partial class DashboardTests
{
    [Fact]
    public async Task Export_downloads_the_filtered_view_and_settings_show_retention()
    {
        var page = await fx.OpenAsync("/traces?name=support");
        await Assertions.Expect(page.Locator("[data-testid=trace-link]")).ToHaveCountAsync(1);
        await fx.ScreenshotAsync(page, "30-trace-explorer-export");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-jsonl]").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        // One trace matches: its lines are native ingest batches carrying its name.
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal("support-agent", JsonDocument.Parse(l).RootElement.GetProperty("trace_name").GetString()));

        var csv = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-csv]").ClickAsync());
        var rows = (await File.ReadAllLinesAsync((await csv.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, rows.Count); // header + the one trace
        Assert.Contains("support-agent", rows[1]);

        await page.GotoAsync("/settings");
        await DashboardFixture.WaitInteractiveAsync(page);
        var panel = page.Locator("[data-testid=retention-panel]");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await panel.ScrollIntoViewIfNeededAsync();
        await fx.ScreenshotAsync(page, "31-settings-retention");
        await page.Locator("[data-testid=delete-project]").ClickAsync();
        await Assertions.Expect(page.Locator("button[data-testid=confirm-delete-project]")).ToBeDisabledAsync();
        await fx.ScreenshotAsync(page, "32-settings-delete-confirm");
        await page.CloseAsync();
    }
}
