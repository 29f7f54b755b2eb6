using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Tests.Fakes;

namespace Vigil.E2E.Tests;

/// <summary>A replay end to end: real server, fake OpenAI on 127.0.0.1, the diff view in a real browser.</summary>
public sealed class ReplayE2EFixture : IAsyncLifetime
{
    public FakeLlmServer Fake { get; private set; } = null!;
    public WebApplicationFactory<Program> Server { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public IBrowserContext Context { get; private set; } = null!;
    public string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("VIGIL_SCREENSHOTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private E2EWebFactory? _base;
    private IPlaywright? _playwright;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        Fake = await FakeLlmServer.StartAsync();
        _base = new E2EWebFactory();
        // The shared E2E factory plus the replay settings pointing at the fake provider.
        Server = _base.WithWebHostBuilder(b => b
            .UseSetting("Vigil:Replay:OpenAI:BaseUrl", Fake.OpenAiBaseUrl)
            .UseSetting("Vigil:Replay:OpenAI:ApiKey", "sk-e2e-config")
            .UseSetting("Vigil:Replay:MaxRetries", "0")
            .UseSetting("Vigil:Replay:TimeoutSeconds", "10"));
        Server.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        Server.StartServer();
        BaseAddress = new Uri(Server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Context = await BrowserSignIn.NewContextAsync(Browser, BaseAddress, E2EWebFactory.AdminEmail, E2EWebFactory.AdminPassword);
    }

    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", E2EWebFactory.ApiKey);
        return client;
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Context is not null) await Context.DisposeAsync();
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        if (_base is not null) await _base.DisposeAsync();
        if (Fake is not null) await Fake.DisposeAsync();
    }
}

public class ReplayE2ETests(ReplayE2EFixture fx) : IClassFixture<ReplayE2EFixture>
{
    private const string TraceId = "9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001";

    [Fact]
    public async Task A_replay_runs_against_the_fake_provider_and_its_diff_shows_in_the_browser()
    {
        using var api = fx.Api();
        var fixture = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "fixtures", "native", "python-sdk-openai.json"));
        (await api.PostAsync("/v1/traces", new StringContent(fixture, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var estimate = await api.PostAsync($"/v1/traces/{TraceId}/replay", new StringContent(
            """{"mutations": {"a1b2c3d4e5f60003": {"model": "gpt-4o", "temperature": 0.9, "system": "Be brief."}}}""", Encoding.UTF8, "application/json"));
        estimate.EnsureSuccessStatusCode();
        var runId = (await estimate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replay_run_id").GetString()!;
        (await api.PostAsync($"/v1/traces/{TraceId}/replay/{runId}/confirm", null)).EnsureSuccessStatusCode();

        var page = await fx.Context.NewPageAsync();
        await page.GotoAsync($"/replays?project={E2EWebFactory.ProjectId}");
        await DashboardFixture.WaitInteractiveAsync(page);
        // The list follows the run live until it completes.
        await Assertions.Expect(page.Locator("[data-testid=replays-table] [data-testid=replay-status]").First).ToHaveTextAsync("completed");
        await fx.ScreenshotAsync(page, "replay-01-list");

        await page.Locator("[data-testid=replay-diff-link]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/replays/{runId}"));
        await DashboardFixture.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=changed-chip]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=original-spans] [data-testid=span-row-original]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=result-spans] [data-testid=span-row-result]")).ToHaveCountAsync(3);
        var inline = page.Locator("[data-testid=diff-inline]");
        await Assertions.Expect(inline.Locator(".diff-delete").First).ToContainTextAsync("Forgot password");
        await Assertions.Expect(inline.Locator(".diff-insert").First).ToContainTextAsync("Reply from gpt-4o");
        await Assertions.Expect(page.Locator("[data-testid=diff-old] .diff-insert")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=diff-new] .diff-delete")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=input-changes]")).ToContainTextAsync("temperature");
        await fx.ScreenshotAsync(page, "replay-02-diff");

        // Selecting an unchanged (copied) span shows its panel without a text diff.
        await page.Locator("[data-testid=span-row-result]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=span-diff]")).ToContainTextAsync("support-agent");
        await Assertions.Expect(page.Locator("[data-testid=diff-inline]")).ToHaveCountAsync(0);
        await fx.ScreenshotAsync(page, "replay-03-copied-span");

        var sent = Assert.Single(fx.Fake.OpenAiRequests);
        Assert.Equal("gpt-4o", sent.Body["model"]!.GetValue<string>());
        await page.CloseAsync();
    }
}
