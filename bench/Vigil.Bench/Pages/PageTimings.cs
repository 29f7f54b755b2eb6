using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Vigil.Bench.Ingest;
using Vigil.Bench.Soak;

namespace Vigil.Bench.Pages;

/// <summary>
/// Every dashboard page in headless Chromium against a running server (e.g. one over the scale benchmark's kept
/// database): signs in, opens each page twice (a first and a second visit) and times it from navigation until the
/// circuit is up and no loading bar is left; a screenshot of the second visit goes to --out. What the API timings of
/// the scale bench do not show: the queries a page makes on its own (totals, charts, panels).
/// </summary>
public static class PageTimings
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var url = a.String("url", "http://127.0.0.1:5097").TrimEnd('/');
        var project = a.String("project", "bench");
        var outDir = a.String("out", Path.Combine(Path.GetTempPath(), "vigil-pages"));
        Directory.CreateDirectory(outDir);
        var traceId = await NewestTraceIdAsync(url, a.String("key", ""));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = a.String("chromium", "/usr/bin/chromium"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        context.SetDefaultTimeout(120_000);
        await DashboardSignIn.SignInAsync(context, a.String("email", "admin@scale.test"), a.String("password", "scale-admin-password"));

        string[] paths = ["/", "/traces", $"/traces/{traceId}", "/live", "/metrics", "/drift", "/alerts", "/sessions", "/users", "/replays", "/settings"];
        Console.WriteLine("| page | first visit ms | second visit ms |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var path in paths)
        {
            var full = $"{path}?project={project}";
            var first = await VisitAsync(context, full, null);
            var second = await VisitAsync(context, full, Path.Combine(outDir, Name(path) + ".png"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{(path.StartsWith("/traces/", StringComparison.Ordinal) ? "/traces/{id}" : path)}` | {first:N0} | {second:N0} |"));
        }
        Console.WriteLine($"screenshots: {outDir}");
        return 0;
    }

    private static async Task<double> VisitAsync(IBrowserContext context, string path, string? screenshot)
    {
        var page = await context.NewPageAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(path);
            await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            // MudBlazor's indeterminate bars are what the pages show while they load.
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.mud-progress-linear-indeterminate, .mud-progress-circular-indeterminate').length === 0",
                null, new PageWaitForFunctionOptions { PollingInterval = 20 });
            var ms = clock.Elapsed.TotalMilliseconds;
            if (screenshot is not null) await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            return ms;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static string Name(string path) => path == "/" ? "overview" : path.Trim('/').Split('/')[0] + (path.Count(c => c == '/') > 1 ? "-detail" : "");

    private static async Task<string> NewestTraceIdAsync(string url, string key)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/v1/traces?limit=1"));
        return doc.RootElement.GetProperty("traces")[0].GetProperty("trace_id").GetString()!;
    }
}
