using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Web.Accounts;

namespace Vigil.E2E.Tests;

/// <summary>A fresh install with no admin configured: the setup link is the way in. One browser for the class.</summary>
public sealed class FirstRunFixture : IAsyncLifetime
{
    public E2EWebFactory Server { get; } = new(headlessAdmin: false);
    public IBrowser Browser { get; private set; } = null!;
    public string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("VIGIL_SCREENSHOTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");
    /// <summary>Console messages of every page opened through <see cref="NewPageAsync"/> (CSP violations show up here).</summary>
    public List<string> Console { get; } = [];

    private IPlaywright? _playwright;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        Server.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task<IPage> NewPageAsync(IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(BrowserSignIn.Options(Server.BaseAddress));
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { lock (Console) Console.Add($"{m.Type}: {m.Text}"); };
        return page;
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

public class AccountsE2ETests(FirstRunFixture fx) : IClassFixture<FirstRunFixture>
{
    private const string AdminEmail = "first.admin@e2e.test";
    private const string AdminPassword = "first-admin-password";
    private const string MemberEmail = "shop.member@e2e.test";
    private const string MemberPassword = "shop-member-password";
    private const string Project = "e2e-shop";
    private const string TraceName = "checkout-assistant";

    private static string Path(IPage page) => new Uri(page.Url).AbsolutePath;

    /// <summary>
    /// Picks <paramref name="text"/> in the MudSelect marked <paramref name="testId"/> (its list opens in a popover) and
    /// waits until the select shows it, i.e. the choice reached the server; a click that lands while the popover is
    /// still opening is retried.
    /// </summary>
    private static async Task SelectAsync(IPage page, string testId, string text)
    {
        // The select's value input (the test id sits on its visible part, an input or, when clearable, a div).
        var input = page.Locator($".mud-select:has([data-testid={testId}]) input.mud-input-slot").First;
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator($".mud-select:has([data-testid={testId}])").First.ClickAsync();
            var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = text }).First;
            await item.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            await item.ClickAsync();
            try
            {
                await Assertions.Expect(input).ToHaveValueAsync(text, new LocatorAssertionsToHaveValueOptions { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                await page.Keyboard.PressAsync("Escape");
            }
        }
    }

    [Fact]
    public async Task First_run_admin_creates_a_project_and_key_sees_its_span_and_a_member_sees_only_their_project()
    {
        // 1. Anonymous: every dashboard page lands on the sign-in page.
        var anonymous = await fx.NewPageAsync();
        foreach (var path in new[] { "/", "/traces", "/traces/some-trace", "/live", "/replays", "/drift", "/metrics", "/settings" })
        {
            await anonymous.GotoAsync(path);
            Assert.Equal("/account/login", Path(anonymous));
            Assert.Contains("returnUrl=", anonymous.Url);
        }
        await anonymous.Locator("[data-testid=login-form]").WaitForAsync();
        await fx.ScreenshotAsync(anonymous, "accounts-01-sign-in");

        // 2. The setup link from the start-up banner creates the admin, who lands signed in on the dashboard.
        var token = fx.Server.Services.GetRequiredService<SetupToken>().Current ?? throw new InvalidOperationException("No setup link was issued");
        var admin = await fx.NewPageAsync();
        await admin.GotoAsync($"/account/setup?token={token}");
        await fx.ScreenshotAsync(admin, "accounts-02-setup");
        await admin.FillAsync("[data-testid=setup-email]", AdminEmail);
        await admin.FillAsync("[data-testid=setup-password]", AdminPassword);
        await admin.ClickAsync("[data-testid=setup-submit]");
        await admin.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await DashboardFixture.WaitInteractiveAsync(admin);
        Assert.Equal(AdminEmail, (await admin.Locator("[data-testid=user-name]").TextContentAsync())?.Trim());

        // The link is spent.
        await anonymous.GotoAsync($"/account/setup?token={token}");
        await anonymous.Locator("[data-testid=setup-used]").WaitForAsync();
        Assert.Equal(0, await anonymous.Locator("[data-testid=setup-form]").CountAsync());

        // 3. Settings: a new project, then a named key for it (secret shown once).
        await admin.GotoAsync("/settings");
        await DashboardFixture.WaitInteractiveAsync(admin);
        await admin.FillAsync("input[data-testid=new-project-id]", Project);
        await admin.FillAsync("input[data-testid=new-project-name]", "E2E Shop");
        await admin.PressAsync("input[data-testid=new-project-name]", "Tab");
        await admin.ClickAsync("[data-testid=create-project]");
        await admin.Locator("[data-testid=projects-panel] [data-testid=new-secret-value]").WaitForAsync();

        await admin.GotoAsync($"/settings?project={Project}");
        await DashboardFixture.WaitInteractiveAsync(admin);
        await admin.FillAsync("input[data-testid=new-key-name]", "checkout-service");
        await admin.ClickAsync("[data-testid=create-key]");
        var secret = (await admin.Locator("[data-testid=keys-panel] [data-testid=new-secret-value]").TextContentAsync())!.Trim();
        Assert.StartsWith("vgl_", secret);
        await fx.ScreenshotAsync(admin, "accounts-03-key-created");

        // ... and a member of that project only.
        await admin.FillAsync("input[data-testid=new-user-email]", MemberEmail);
        await admin.FillAsync("input[data-testid=new-user-password]", MemberPassword);
        await admin.PressAsync("input[data-testid=new-user-password]", "Tab");
        await SelectAsync(admin, "new-user-project", Project);
        await admin.ClickAsync("[data-testid=create-user]");
        await Assertions.Expect(admin.Locator("[data-testid=user-message]")).ToContainTextAsync($"a member of {Project}");
        await fx.ScreenshotAsync(admin, "accounts-04-user-created");

        // 4. A span posted with the new key through the API shows up in the admin's dashboard.
        using (var api = new HttpClient { BaseAddress = fx.Server.BaseAddress })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            var body = $$"""{"trace_name":"{{TraceName}}","spans":[{"span_id":"s1","trace_id":"shop-trace-1","name":"{{TraceName}}","kind":"llm","status":"ok","input":{"model":"gpt-4o","messages":[{"role":"user","content":"Where is my order?"}]},"output":{"content":"On its way."},"start_time":"{{DateTime.UtcNow.AddMinutes(-1):O}}","end_time":"{{DateTime.UtcNow:O}}"}]}""";
            var posted = await api.PostAsync("v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        await admin.GotoAsync($"/traces?project={Project}");
        await DashboardFixture.WaitInteractiveAsync(admin);
        await Assertions.Expect(admin.Locator("body")).ToContainTextAsync(TraceName);
        await fx.ScreenshotAsync(admin, "accounts-05-admin-sees-span");

        // 5. The member signs in and sees their project only; the default project is not theirs.
        var memberContext = await fx.Browser.NewContextAsync(BrowserSignIn.Options(fx.Server.BaseAddress));
        var member = await fx.NewPageAsync(memberContext);
        await member.GotoAsync("/traces");
        Assert.Equal("/account/login", Path(member));
        await BrowserSignIn.SubmitAsync(member, MemberEmail, MemberPassword);
        Assert.Equal("/traces", Path(member));
        await DashboardFixture.WaitInteractiveAsync(member);
        await Assertions.Expect(member.Locator("body")).ToContainTextAsync(TraceName);
        await member.Locator(".mud-select:has([data-testid=project-switcher])").First.ClickAsync();
        // The popover opens after the click returns: an auto-retrying assertion, not a one-off read of the list.
        await Assertions.Expect(member.Locator(".mud-popover-open .mud-list-item")).ToHaveTextAsync(["E2E Shop"]);
        await member.Keyboard.PressAsync("Escape");
        await fx.ScreenshotAsync(member, "accounts-06-member-traces");

        await member.GotoAsync($"/traces?project={E2EWebFactory.ProjectId}");
        await DashboardFixture.WaitInteractiveAsync(member);
        await member.Locator("[data-testid=project-denied]").WaitForAsync();
        Assert.DoesNotContain(TraceName, await member.Locator(".mud-main-content").InnerTextAsync());
        await fx.ScreenshotAsync(member, "accounts-07-member-denied");

        // The member has no management on Settings.
        await member.GotoAsync("/settings");
        await DashboardFixture.WaitInteractiveAsync(member);
        await member.Locator("[data-testid=keys-panel]").WaitForAsync();
        Assert.Equal(0, await member.Locator("[data-testid=users-panel], [data-testid=projects-panel], [data-testid=create-key]").CountAsync());

        // 6. Sign-out ends the session.
        await member.ClickAsync("[data-testid=logout]");
        await member.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await member.GotoAsync("/traces");
        Assert.Equal("/account/login", Path(member));

        // Every page rendered and ran under the Content-Security-Policy: the browser reported no violation.
        lock (fx.Console)
            Assert.DoesNotContain(fx.Console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("Refused to", StringComparison.Ordinal));
    }
}
