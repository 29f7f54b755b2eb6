using System.Diagnostics;
using Microsoft.Playwright;

namespace Vigil.E2E.Tests.Infrastructure;

/// <summary>
/// One real server with seeded traces and one headless Chromium for the whole test class (starting either is the slow part).
/// Screenshots go to <c>$VIGIL_SCREENSHOTS</c> or <c>screenshots/</c> next to the test assembly.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public E2EWebFactory Server { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public IBrowserContext Context { get; private set; } = null!;
    public string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("VIGIL_SCREENSHOTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");
    public TimeSpan SeedTime { get; private set; }

    private IPlaywright? _playwright;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        Server.Start();
        var sw = Stopwatch.StartNew();
        await Seed.AllAsync(Server.BaseAddress, E2EWebFactory.ApiKey, DateTimeOffset.UtcNow);
        SeedTime = sw.Elapsed;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        // Every dashboard page needs a signed-in user: sign in once through the real form, reuse the cookie.
        Context = await BrowserSignIn.NewContextAsync(Browser, Server.BaseAddress, E2EWebFactory.AdminEmail, E2EWebFactory.AdminPassword);
    }

    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit is interactive (before any click).</summary>
    public async Task<IPage> OpenAsync(string path, IPage? page = null)
    {
        page ??= await Context.NewPageAsync();
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
        return page;
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=circuit-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = false });

    public async ValueTask DisposeAsync()
    {
        if (Context is not null) await Context.DisposeAsync();
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}
