using Microsoft.Playwright;

namespace Vigil.Bench.Soak;

/// <summary>
/// Headless Chromium holding three dashboard pages for the whole soak: the Live page, the trace list (its "new traces" chip
/// clicked every minute) and the growing trace. Circuit errors are what a user would see or the browser would log: the
/// reconnect dialog shown, an uncaught page error, a console error. Every sample also checks that each page still updates.
/// </summary>
public sealed class BrowserWatch : IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    private IPage _live = null!, _list = null!, _trace = null!;
    private int _reconnectShown;

    public List<string> Errors { get; } = [];
    public List<string> Samples { get; } = [];
    public int CircuitErrors { get { lock (Errors) return Errors.Count; } }

    public async Task StartAsync(string url, string project, string email, string password, string chromium, string pages = "live,list,trace")
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        _context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        _context.SetDefaultTimeout(30_000);
        await DashboardSignIn.SignInAsync(_context, email, password);

        // Pages left out (--pages, to see what each costs) are opened on the dashboard's overview instead.
        _live = await OpenAsync(pages.Contains("live") ? $"/live?project={project}" : "/", "live");
        _list = await OpenAsync(pages.Contains("list") ? $"/traces?project={project}" : "/", "list");
        _trace = await OpenAsync(pages.Contains("trace") ? $"/traces/{SoakTraffic.GrowingTraceId}?project={project}" : "/", "trace");
    }

    private async Task<IPage> OpenAsync(string path, string name)
    {
        var page = await _context!.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") Error($"{name}: console error: {m.Text}"); };
        page.PageError += (_, e) => Error($"{name}: page error: {e}");
        page.Crash += (_, _) => Error($"{name}: page crashed");
        // The reconnect dialog (Components/Layout/ReconnectModal) is what a user sees when the circuit drops.
        await page.ExposeFunctionAsync("vigilSoakReconnect", (string state) => { if (state != "hide") { Interlocked.Increment(ref _reconnectShown); Error($"{name}: reconnect state {state}"); } });
        await page.AddInitScriptAsync("""
            document.addEventListener('DOMContentLoaded', () => {
              const modal = document.getElementById('components-reconnect-modal');
              if (modal) modal.addEventListener('components-reconnect-state-changed', e => window.vigilSoakReconnect(e.detail.state));
            });
            """);
        await page.GotoAsync(path);
        await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    private void Error(string what)
    {
        lock (Errors) if (Errors.Count < 1000) Errors.Add($"{DateTime.UtcNow:HH:mm:ss} {what}");
    }

    /// <summary>What each page shows now; the trace list's new-traces chip is clicked so the list reloads.</summary>
    public async Task<string> SampleAsync(double minute)
    {
        try
        {
            var rate = await TextAsync(_live.Locator("[data-testid=live-rate]"));
            var liveRows = await _live.Locator("[data-testid=live-row]").CountAsync();
            var chip = _list.Locator("[data-testid=new-traces]");
            var chipText = await chip.CountAsync() > 0 ? await chip.InnerTextAsync() : "(no chip)";
            if (await chip.CountAsync() > 0) await chip.ClickAsync();
            var total = await TextAsync(_list.Locator("[data-testid=trace-total]"));
            var spans = await GrowingTraceSpansAsync();
            var line = $"minute {minute:0.0}: live {rate}, {liveRows} rows; list chip '{chipText.Trim()}', {total.Trim()}; growing trace {spans} spans";
            lock (Samples) Samples.Add(line);
            return line;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            Error($"sample at minute {minute:0.0} failed: {e.Message.Split('\n')[0]}");
            return "sample failed";
        }
    }

    /// <summary>The growing trace's span count as the open page shows it.</summary>
    public Task<string> GrowingTraceSpansAsync() => TextAsync(_trace.Locator("[data-testid=trace-spans]"));

    private static async Task<string> TextAsync(ILocator locator) => await locator.CountAsync() > 0 ? (await locator.InnerTextAsync()).Trim() : "-";

    public Task ScreenshotAsync(string dir) => Task.WhenAll(
        _live.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "soak-live.png") }),
        _list.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "soak-list.png") }),
        _trace.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "soak-trace.png") }));

    public async ValueTask DisposeAsync()
    {
        if (_context is not null) await _context.DisposeAsync();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
