using Vigil.Tests.Fakes;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Projects;
using Vigil.Core.Storage;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Web.Tests.Alerting;
using Vigil.Web.Tests.Drift;

namespace Vigil.E2E.Tests.Alerting;

/// <summary>
/// The Alerts page in a real browser: a monitor made through the form goes critical live when error spans arrive, next to
/// an open drift alert; a webhook channel made through the form answers "Send test" in its live delivery log; silencing
/// a monitor shows on its row.
/// </summary>
public class AlertsPageE2ETests(DashboardFixture fx) : IClassFixture<DashboardFixture>
{
    private const string Project = "alerts-e2e";

    [Fact]
    public async Task Monitor_and_channel_made_in_the_page_alert_live_and_deliver_a_test()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var (_, key) = await fx.Server.Services.GetRequiredService<ProjectService>().CreateAsync(Project, "Alerts E2E", null);
        using var api = new HttpClient { BaseAddress = fx.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var page = await fx.OpenAsync($"/alerts?project={Project}");
        await Assertions.Expect(page.Locator("[data-testid=monitors-empty]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=open-alerts-empty]")).ToBeVisibleAsync();

        // A monitor through the form (error rate over 15 min, warning 5 %, critical 10 %: the form's defaults).
        await page.Locator("[data-testid=new-monitor]").ClickAsync();
        await page.Locator("input[data-testid=monitor-name]").FillAsync("LLM error rate");
        await page.Locator("[data-testid=save-monitor]").ClickAsync();
        var row = page.Locator("[data-testid=monitor-row]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-testid=monitor-state]")).ToHaveTextAsync("ok");
        var monitor = Assert.Single(await fx.Server.Services.GetRequiredService<MonitorService>().ListAsync(Project));
        Assert.Equal((MonitorMetric.ErrorRate, 15, 0.05, 0.1), (monitor.Metric, monitor.WindowMinutes, monitor.Warning!.Value, monitor.Critical!.Value));

        // A webhook channel through the form: its signing secret is shown once; "Send test" shows up in its delivery log live.
        await page.Locator("[data-testid=new-channel]").ClickAsync();
        await page.Locator("input[data-testid=channel-name]").FillAsync("On-call webhook");
        await page.Locator("input[data-testid=channel-url]").FillAsync(receiver.Url + "/oncall");
        await page.Locator("[data-testid=create-channel]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=new-secret-value]")).ToContainTextAsync("whsec_");
        await Assertions.Expect(page.Locator("[data-testid=channel-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=channel-row]")).Not.ToContainTextAsync("/oncall");
        await page.Locator("[data-testid=send-test]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=delivery-row][data-outcome=delivered]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=delivery-status]").First).ToHaveTextAsync("200");
        Assert.Equal("test", Assert.Single(receiver.Requests).Json.GetProperty("source").GetString());
        await fx.ScreenshotAsync(page, "alerts-01-channel-test");

        // A few hours of measured values for the sparkline, then error spans: the next evaluations turn the monitor critical.
        await SeedSamplesAsync(monitor.Id);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/traces", Json(AlertSpans.Batch(ok: 8, errors: 2)))).StatusCode);
        var evaluator = fx.Server.Services.GetRequiredService<MonitorEvaluator>();
        await evaluator.EvaluateAsync();
        await evaluator.EvaluateAsync();
        await Assertions.Expect(row.Locator("[data-testid=monitor-state]")).ToHaveTextAsync("critical");
        await Assertions.Expect(row.Locator("[data-testid=monitor-last-value]")).ToContainTextAsync("20 %");
        await Assertions.Expect(row.Locator("[data-testid=monitor-sparkline] svg")).ToBeVisibleAsync();
        // The channel took the monitor alert too.
        await receiver.WaitAsync(r => r.Any(x => x.Json.GetProperty("source").GetString() == "monitor"), what: "the monitor alert");

        // Drift and monitor alerts are open together.
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/traces",
            Json(DriftSpans.SteadyWithSlowCurrent(DateTimeOffset.UtcNow, ["tool"], ["tool"])))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/v1/drift/run", null)).StatusCode);
        await Assertions.Expect(page.Locator("[data-testid=open-alert][data-source=drift]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=open-alert][data-source=monitor]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=history-row][data-source=monitor]")).ToHaveCountAsync(1);
        await fx.ScreenshotAsync(page, "alerts-02-overview");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fx.ScreenshotDir, "alerts-02-overview-full.png"), FullPage = true });

        // Silence it for an hour: the row says so, and the stored monitor has the deadline.
        await row.Locator("[data-testid=silence-monitor] button").ClickAsync();
        await page.Locator("[data-testid=silence-60]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=monitor-silenced]")).ToBeVisibleAsync();
        Assert.NotNull((await fx.Server.Services.GetRequiredService<MonitorService>().GetAsync(Project, monitor.Id))!.SilencedUntilUs);
        await fx.ScreenshotAsync(page, "alerts-03-silenced");
        await page.CloseAsync();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Three hours of a value wandering under the warning level and crossing it lately (one sample a minute).</summary>
    private async Task SeedSamplesAsync(long monitorId)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await fx.Server.Services.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
        for (var i = 180; i >= 1; i--)
        {
            var value = 0.02 + 0.012 * Math.Sin(i / 9.0) + (i < 25 ? (25 - i) * 0.004 : 0);
            db.MonitorSamples.Add(new MonitorSample { MonitorId = monitorId, AtUs = UnixMicros.From(now.AddMinutes(-i)), Value = value });
        }
        await db.SaveChangesAsync();
    }
}
