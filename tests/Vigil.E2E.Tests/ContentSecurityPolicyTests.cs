using Microsoft.Playwright;
using Vigil.E2E.Tests.Infrastructure;

namespace Vigil.E2E.Tests;

public partial class DashboardTests
{
    /// <summary>
    /// Every page renders and becomes interactive under the server's Content-Security-Policy (script-src 'self'): the
    /// circuit connects, a click re-renders, and Chromium reports no violation on the console.
    /// </summary>
    [Fact]
    public async Task Every_page_renders_and_reacts_under_the_content_security_policy()
    {
        var page = await fx.Context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
        var headerChecked = false;
        foreach (var path in new[] { "/", "/traces", $"/traces/{Seed.AgentTraceId}", "/live", "/replays", "/alerts", "/drift", "/metrics", "/settings" })
        {
            var response = await page.GotoAsync(path);
            if (!headerChecked)
            {
                Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"]);
                headerChecked = true;
            }
            await DashboardFixture.WaitInteractiveAsync(page);
            // Interactive: the theme toggle re-renders its own icon.
            var toggle = page.Locator("[data-testid=theme-toggle]");
            var before = await toggle.InnerHTMLAsync();
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).Not.ToHaveJSPropertyAsync("innerHTML", before);
            await toggle.ClickAsync();
        }
        await page.CloseAsync();
        lock (console)
            Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("Refused to", StringComparison.Ordinal));
    }
}
