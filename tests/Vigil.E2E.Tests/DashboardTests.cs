using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Projects;
using Vigil.E2E.Tests.Infrastructure;

namespace Vigil.E2E.Tests;

/// <summary>The dashboard in a real browser against a real server: explorer, trace view, inspector, performance, escaping.</summary>
public partial class DashboardTests(DashboardFixture fx, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const int TotalTraces = Seed.FillerCount + 3;

    [Fact]
    public async Task Explorer_lists_filters_sorts_and_opens_a_trace()
    {
        var page = await fx.OpenAsync("/traces");
        var links = page.Locator("[data-testid=trace-link]");
        await Assertions.Expect(page.Locator("[data-testid=trace-total]")).ToHaveTextAsync($"{TotalTraces} traces");
        await Assertions.Expect(links.First).ToBeVisibleAsync();
        await fx.ScreenshotAsync(page, "01-trace-explorer");

        // A filter typed in the UI lands in the URL and narrows the grid.
        await page.Locator("input[data-testid=filter-name]").FillAsync("support");
        await page.Locator("input[data-testid=filter-name]").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("name=support"));
        await Assertions.Expect(links).ToHaveCountAsync(1);
        await Assertions.Expect(links.First).ToHaveTextAsync("support-agent");
        await fx.ScreenshotAsync(page, "02-trace-explorer-filtered");

        // Filters in the URL survive a reload: errored traces only (the agent, 4 fillers and the big trace).
        await page.GotoAsync("/traces?status=error&range=24h");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=trace-total]")).ToHaveTextAsync("6 traces");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=trace-total]")).ToHaveTextAsync("6 traces");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=error"));

        // Sorting by a column header writes the sort into the URL; the costliest trace comes first.
        await page.GotoAsync("/traces");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(links.First).ToBeVisibleAsync();
        await page.Locator("th:has-text('Cost') >> text=Cost").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=cost"));

        // A row opens its trace.
        await page.GotoAsync("/traces?q=Paris");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(links).ToHaveCountAsync(1);
        await links.First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/traces/{Seed.AgentTraceId}"));
        await Assertions.Expect(page.Locator("[data-testid=trace-name]")).ToHaveTextAsync("support-agent");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Trace_view_collapses_expands_searches_and_inspects_an_llm_span()
    {
        var page = await fx.OpenAsync($"/traces/{Seed.AgentTraceId}");
        var rows = page.Locator("[data-testid=span-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(7); // root, 5 children, 1 orphan
        await Assertions.Expect(page.Locator("[data-testid=trace-errors]")).ToHaveTextAsync("1");
        await fx.ScreenshotAsync(page, "03-trace-view");

        var rootToggle = page.Locator("[data-span-id=root] [data-testid=span-toggle]");
        await rootToggle.ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2); // root (collapsed) and the orphan
        await fx.ScreenshotAsync(page, "04-trace-view-collapsed");
        await rootToggle.ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(7);

        // The second LLM call: system and user messages, the assistant's tool call, the tool result and the reply.
        await page.Locator("[data-span-id=answer]").ClickAsync();
        var inspector = page.Locator("[data-testid=span-inspector]");
        await Assertions.Expect(inspector).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("span=answer"));
        var roles = await inspector.Locator("[data-testid=chat-message]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.role)");
        Assert.Equal(["system", "user", "assistant", "tool", "assistant"], roles);
        await Assertions.Expect(inspector.Locator("[data-testid=tool-call]").First).ToContainTextAsync("get_weather");
        await Assertions.Expect(inspector.Locator("[data-testid=tool-result]").First).ToContainTextAsync("sunny");
        await Assertions.Expect(inspector).ToContainTextAsync("It's sunny in Paris, 21 °C.");
        await Assertions.Expect(inspector.Locator("[data-testid=inspector-model]")).ToHaveTextAsync("gpt-4o");
        await fx.ScreenshotAsync(page, "05-span-inspector-conversation");

        // A failed tool shows its error and stack.
        await page.Locator("[data-span-id=save]").ClickAsync();
        await Assertions.Expect(inspector.Locator("[data-testid=inspector-error]")).ToContainTextAsync("Permission denied");
        await fx.ScreenshotAsync(page, "06-span-inspector-error");

        // Search keeps the matches and their ancestors.
        await page.Locator("input[data-testid=span-search]").FillAsync("get_weather");
        await Assertions.Expect(rows).ToHaveCountAsync(4); // root (ancestor), plan, tool, answer
        await Assertions.Expect(page.Locator("[data-testid=span-count]")).ToContainTextAsync("3 matching");
        await fx.ScreenshotAsync(page, "07-trace-view-search");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Ten_thousand_span_trace_shows_its_first_screen_and_scrolls()
    {
        // Warm up (JIT, first circuit) on a small trace, so the figure is the steady-state first screen.
        var page = await fx.OpenAsync($"/traces/{Seed.AgentTraceId}");
        await page.Locator("[data-testid=span-row]").First.WaitForAsync();
        var sw = Stopwatch.StartNew();
        await page.GotoAsync($"/traces/{Seed.BigTraceId}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator("[data-testid=span-row]").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 30_000 });
        var firstRows = sw.Elapsed;
        await DashboardFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=span-row]").First.WaitForAsync();
        var interactive = sw.Elapsed;

        await Assertions.Expect(page.Locator("[data-testid=trace-spans]")).ToHaveTextAsync("10,000");
        await Assertions.Expect(page.Locator("[data-testid=span-count]")).ToContainTextAsync("10,000 of 10,000");
        // Virtualized: only a screenful of rows is in the DOM.
        var inDom = await page.Locator("[data-testid=span-row]").CountAsync();
        Assert.InRange(inDom, 10, 200);

        // Scroll to the end: the last spans render without the page freezing.
        var scroll = Stopwatch.StartNew();
        await page.Locator("[data-testid=span-grid]").EvaluateAsync("el => el.scrollTop = el.scrollHeight");
        await Assertions.Expect(page.Locator("[data-span-id=s9999]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var scrolled = scroll.Elapsed;
        await fx.ScreenshotAsync(page, "08-trace-view-10k-scrolled");

        var line = string.Create(CultureInfo.InvariantCulture,
            $"10,000-span trace: first rows visible {firstRows.TotalMilliseconds:0} ms after navigation, interactive {interactive.TotalMilliseconds:0} ms, scroll to the last span {scrolled.TotalMilliseconds:0} ms, {inDom} rows in the DOM");
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(fx.ScreenshotDir, "timings.txt"), DateTime.UtcNow.ToString("O") + " " + line + Environment.NewLine);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Markup_in_span_content_is_shown_as_text_and_never_runs()
    {
        var page = await fx.OpenAsync($"/traces/{Seed.XssTraceId}?span=x1");
        var inspector = page.Locator("[data-testid=span-inspector]");
        await Assertions.Expect(inspector).ToBeVisibleAsync();
        await Assertions.Expect(inspector.Locator("[data-testid=chat-message][data-role=user]")).ToContainTextAsync(Seed.XssPayload);
        await Assertions.Expect(inspector.Locator("[data-testid=chat-message][data-role=assistant]")).ToContainTextAsync(Seed.XssPayload);
        Assert.Equal(0, await page.Locator("[data-testid=span-inspector] script, [data-testid=span-inspector] img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), "a payload script ran");
        await fx.ScreenshotAsync(page, "09-xss-payload-as-text");
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_open_trace_follows_ingest()
    {
        // Its own project, so the other tests' counts of test-project stay exact.
        var (_, key) = await fx.Server.Services.GetRequiredService<ProjectService>().CreateAsync("zz-live-project", "Live project", null);
        var now = DateTimeOffset.UtcNow;
        await Seed.PostSpanAsync(fx.Server.BaseAddress, key, "e2e-live-trace", "live-root", null, now);
        var page = await fx.OpenAsync("/traces/e2e-live-trace?project=zz-live-project");
        var rows = page.Locator("[data-testid=span-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Seed.PostSpanAsync(fx.Server.BaseAddress, key, "e2e-live-trace", "live-child", "live-root", now.AddMilliseconds(10));
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-testid=trace-spans]")).ToHaveTextAsync("2");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Shell_navigates_and_switches_theme()
    {
        var page = await fx.OpenAsync("/");
        await Assertions.Expect(page.Locator("[data-testid=stat-traces]")).ToHaveTextAsync(TotalTraces.ToString(CultureInfo.InvariantCulture));
        await fx.ScreenshotAsync(page, "10-overview");
        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await page.Locator("[data-testid=nav] a:has-text('Traces')").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/traces\\?project=test-project|/traces$"));
        await Assertions.Expect(page.Locator("[data-testid=trace-link]").First).ToBeVisibleAsync();
        await fx.ScreenshotAsync(page, "11-trace-explorer-dark");
        await page.GotoAsync($"/traces/{Seed.AgentTraceId}?span=plan");
        await Assertions.Expect(page.Locator("[data-testid=span-inspector]")).ToBeVisibleAsync();
        await fx.ScreenshotAsync(page, "12-trace-view-light-after-reload");
        await page.Locator("[data-testid=nav] a:has-text('Live')").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=live-empty]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=nav] a:has-text('Settings')").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=settings-keys]")).ToContainTextAsync("vgl_");
        await fx.ScreenshotAsync(page, "13-settings");
        await page.CloseAsync();
    }
}
