using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Projects;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Web.Tests.Drift;

namespace Vigil.E2E.Tests.Drift;

/// <summary>The Drift page in a real browser: an alert card arrives live after a forced run, its chart opens, it resolves.</summary>
public class DriftPageE2ETests(DashboardFixture fx) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Alert_appears_live_after_a_forced_run_shows_its_chart_and_resolves()
    {
        // Its own project, so the dashboard tests' seeded counts are untouched.
        var (_, key) = await fx.Server.Services.GetRequiredService<ProjectService>().CreateAsync("drift-e2e", "Drift E2E", null);
        using var api = new HttpClient { BaseAddress = fx.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var seeded = await api.PostAsync("/v1/traces", new StringContent(DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["llm", "tool"], ["llm"]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);

        var page = await fx.OpenAsync("/drift?project=drift-e2e");
        await Assertions.Expect(page.Locator("[data-testid=drift-empty]")).ToBeVisibleAsync();

        // Forced run through the API: the open page gets the card over the live feed, without a reload.
        var run = await (await api.PostAsync("/v1/drift/run", null)).Content.ReadFromJsonAsync<JsonElement>();
        var alertId = run.GetProperty("alerts")[0].GetProperty("id").GetInt64();
        var cards = page.Locator("[data-testid=drift-alert-card]");
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        await Assertions.Expect(cards.First).ToHaveAttributeAsync("data-severity", "high");
        await Assertions.Expect(cards.First.Locator("[data-testid=alert-group]")).ToHaveTextAsync("llm");
        await fx.ScreenshotAsync(page, "drift-01-alert-live");

        await cards.First.ClickAsync();
        var chart = page.Locator("[data-testid=drift-distribution-chart] svg");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        var svg = await chart.EvaluateAsync<string>("e => e.outerHTML");
        Assert.Contains("Baseline (50)", svg);
        Assert.Contains("Current (20)", svg);
        await Assertions.Expect(page.Locator("[data-testid=drift-psi-chart] svg")).ToBeVisibleAsync();
        await fx.ScreenshotAsync(page, "drift-02-chart");

        // The charts follow the theme: switching to dark re-draws them for a dark background, and back.
        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await Assertions.Expect(chart).Not.ToHaveJSPropertyAsync("outerHTML", svg);
        await fx.ScreenshotAsync(page, "drift-02-chart-dark");
        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await Assertions.Expect(chart).ToHaveJSPropertyAsync("outerHTML", svg);

        await page.Locator("button[data-testid=resolve-alert]").ClickAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(0);
        await fx.ScreenshotAsync(page, "drift-03-resolved");
        var alerts = await (await api.GetAsync("/v1/drift/alerts?include_resolved=true")).Content.ReadFromJsonAsync<JsonElement>();
        var stored = alerts.GetProperty("alerts")[0];
        Assert.Equal(alertId, stored.GetProperty("id").GetInt64());
        Assert.True(stored.GetProperty("resolved").GetBoolean());
        await page.CloseAsync();
    }
}
