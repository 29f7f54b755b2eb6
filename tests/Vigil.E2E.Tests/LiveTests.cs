using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Projects;
using Vigil.E2E.Tests.Infrastructure;

namespace Vigil.E2E.Tests;

/// <summary>The live feed in the browser. Shares the dashboard's server and browser (one fixture per collection).</summary>
public partial class DashboardTests
{
    private async Task<HttpClient> LiveProjectClientAsync(string projectId)
    {
        var (_, key) = await fx.Server.Services.GetRequiredService<ProjectService>().CreateAsync(projectId, projectId, null);
        var http = new HttpClient { BaseAddress = fx.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task PostAsync(HttpClient http, string json)
    {
        var response = await http.PostAsync("v1/traces", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    private static string Now(double offsetMs = 0) => DateTime.UtcNow.AddMilliseconds(offsetMs).ToString("O");

    [Fact]
    public async Task The_live_page_shows_posted_spans_within_two_seconds()
    {
        using var http = await LiveProjectClientAsync("zz-live-feed");
        var page = await fx.OpenAsync("/live?project=zz-live-feed");
        await Assertions.Expect(page.Locator("[data-testid=live-empty]")).ToBeVisibleAsync();

        await PostAsync(http, $$"""{"spans":[{"span_id":"f1","trace_id":"feed-1","name":"plan","kind":"llm","status":"ok","input":{"model":"gpt-4o"},"start_time":"{{Now(-500)}}","end_time":"{{Now()}}"},{"span_id":"f2","trace_id":"feed-1","parent_span_id":"f1","name":"lookup-order","kind":"tool","status":"error","start_time":"{{Now(-200)}}","end_time":"{{Now()}}"}]}""");
        var rows = page.Locator("[data-testid=live-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 2000 });
        await Assertions.Expect(rows.First).ToContainTextAsync("lookup-order"); // newest first

        // Pause holds new spans back and counts them; resume shows them.
        await page.Locator("[data-testid=live-pause]").ClickAsync();
        // The click returns once dispatched; the circuit may not have paused yet, and a span
        // pushed before it does is shown rather than held.
        await Assertions.Expect(page.Locator("[data-testid=live-state]")).ToContainTextAsync("Paused");
        await PostAsync(http, $$"""{"spans":[{"span_id":"f3","trace_id":"feed-2","name":"answer","kind":"llm","start_time":"{{Now()}}"}]}""");
        await Assertions.Expect(page.Locator("[data-testid=live-state]")).ToContainTextAsync("1 new", new() { Timeout = 2000 });
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await fx.ScreenshotAsync(page, "14-live-paused");
        await page.Locator("[data-testid=live-resume]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);

        // A row opens its trace.
        await rows.First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/traces/feed-2"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_open_trace_shows_a_late_span_first_running_then_ended()
    {
        using var http = await LiveProjectClientAsync("zz-live-detail");
        await PostAsync(http, $$"""{"spans":[{"span_id":"root","trace_id":"grow-1","name":"agent","kind":"agent","start_time":"{{Now(-3000)}}"}]}""");
        var page = await fx.OpenAsync("/traces/grow-1?project=zz-live-detail");
        var rows = page.Locator("[data-testid=span-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(1);

        var start = Now(-1000);
        await PostAsync(http, $$"""{"spans":[{"span_id":"late","trace_id":"grow-1","parent_span_id":"root","name":"late-tool","kind":"tool","start_time":"{{start}}"}]}""");
        var late = page.Locator("[data-span-id=late]");
        await Assertions.Expect(late).ToContainTextAsync("running", new() { Timeout = 2000 });
        await Assertions.Expect(late.Locator(".vg-bar-running")).ToHaveCountAsync(1);
        await fx.ScreenshotAsync(page, "15-trace-live-running");

        await PostAsync(http, $$"""{"spans":[{"span_id":"late","trace_id":"grow-1","status":"ok","end_time":"{{Now()}}"}]}""");
        await Assertions.Expect(late).Not.ToContainTextAsync("running", new() { Timeout = 2000 });
        await Assertions.Expect(late.Locator(".vg-bar-running")).ToHaveCountAsync(0);
        await Assertions.Expect(late).ToContainTextAsync("late-tool");
        await fx.ScreenshotAsync(page, "16-trace-live-ended");
        await page.CloseAsync();
    }

    [Fact]
    public async Task New_traces_appear_in_the_explorer_without_reload()
    {
        using var http = await LiveProjectClientAsync("zz-live-list");
        await PostAsync(http, $$"""{"spans":[{"span_id":"a","trace_id":"list-1","name":"first-trace","start_time":"{{Now(-1000)}}","end_time":"{{Now()}}"}]}""");
        var page = await fx.OpenAsync("/traces?project=zz-live-list");
        var links = page.Locator("[data-testid=trace-link]");
        await Assertions.Expect(links).ToHaveCountAsync(1);
        await PostAsync(http, $$"""{"spans":[{"span_id":"b","trace_id":"list-2","name":"second-trace","start_time":"{{Now()}}","end_time":"{{Now(5)}}"}]}""");
        await Assertions.Expect(links).ToHaveCountAsync(2, new() { Timeout = 3000 });
        await Assertions.Expect(links.First).ToContainTextAsync("second-trace");
        await page.CloseAsync();
    }
}
