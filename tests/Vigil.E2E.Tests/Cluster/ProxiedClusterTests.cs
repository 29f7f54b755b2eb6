using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Tests;
using Vigil.Tests.Cluster;

namespace Vigil.E2E.Tests.Cluster;

/// <summary>
/// Two instances on PostgreSQL and Redis behind the shipped nginx configuration (deploy/nginx/vigil.conf), and a real
/// Chromium going through the proxy: it signs in, keeps one circuit (one WebSocket, never re-opened) while it navigates,
/// and sees spans posted straight to either instance, so at least one of them crossed over from the other instance.
/// </summary>
public sealed class ProxiedClusterTests : IAsyncLifetime
{
    private TestStorage _storage = null!;
    private RedisServer _redis = null!;
    private ClusterNode _a = null!, _b = null!;
    private NginxProxy _proxy = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _storage = TestStorage.CreatePostgres("vigil-e2e-cluster");
        _redis = await RedisServer.StartNewAsync();
        _a = new ClusterNode("A", _storage, _redis.ConnectionString).Start();
        _b = new ClusterNode("B", _storage, _redis.ConnectionString).Start();
        _proxy = await NginxProxy.StartAsync(_a.BaseAddress, _b.BaseAddress);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [Fact]
    public async Task Through_nginx_a_browser_signs_in_keeps_its_circuit_and_sees_spans_posted_to_either_instance()
    {
        await using var context = await BrowserSignIn.NewContextAsync(_browser, _proxy.BaseAddress, ClusterNode.AdminEmail, ClusterNode.AdminPassword);
        // The proxy's affinity cookie came with the sign-in, so this browser stays on one instance.
        Assert.Contains(await context.CookiesAsync(), c => c.Name == "vigil_affinity");
        var page = await context.NewPageAsync();
        var circuits = new List<IWebSocket>();
        page.WebSocket += (_, ws) => { if (ws.Url.Contains("/_blazor", StringComparison.Ordinal)) circuits.Add(ws); };

        await page.GotoAsync($"/live?project={ClusterNode.ProjectId}");
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=live-empty]")).ToBeVisibleAsync();

        // Straight to each instance, not through the proxy: one of the two is not the browser's.
        foreach (var (node, name) in new[] { (_a, "posted-to-a"), (_b, "posted-to-b") })
        {
            using var http = new HttpClient { BaseAddress = node.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClusterNode.ApiKey);
            var now = DateTime.UtcNow;
            var body = $$"""{"spans":[{"span_id":"{{name}}","trace_id":"t-{{name}}","name":"{{name}}","kind":"tool","status":"ok","start_time":"{{now.AddMilliseconds(-300):O}}","end_time":"{{now:O}}"}]}""";
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/v1/traces", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        }
        var rows = page.Locator("[data-testid=live-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-testid=live-row]", new() { HasText = "posted-to-a" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=live-row]", new() { HasText = "posted-to-b" })).ToHaveCountAsync(1);
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "40-cluster-live-through-nginx.png") });

        // Navigating inside the app keeps the circuit: the trace list, then a trace, over the same WebSocket.
        await page.Locator("[data-testid=nav] a", new() { HasText = "Traces" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/traces"));
        await Assertions.Expect(page.Locator("text=posted-to-a").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.Locator("[data-testid=nav] a", new() { HasText = "Live" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/live"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "41-cluster-traces-through-nginx.png") });

        var circuit = Assert.Single(circuits);
        Assert.False(circuit.IsClosed);
        Assert.Contains($"127.0.0.1:{_proxy.BaseAddress.Port}", circuit.Url);
    }

    private static string ScreenshotDir => Environment.GetEnvironmentVariable("VIGIL_SCREENSHOTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_proxy is not null) await _proxy.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (_storage is not null) await _storage.DisposeAsync();
    }
}
