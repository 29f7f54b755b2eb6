using Microsoft.Playwright;

namespace Vigil.E2E.Tests.Infrastructure;

/// <summary>
/// Signs in through the real sign-in page. Fixtures sign in once and reuse the cookies (Playwright storage state) for
/// their browser context, so every test starts signed in without paying for the form again.
/// </summary>
public static class BrowserSignIn
{
    public static BrowserNewContextOptions Options(Uri baseAddress) => new()
    {
        BaseURL = baseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
    };

    /// <summary>A browser context carrying the dashboard cookie of <paramref name="email"/>.</summary>
    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri baseAddress, string email, string password)
    {
        string state;
        await using (var login = await browser.NewContextAsync(Options(baseAddress)))
        {
            // A cold server's first sign-in (Identity, the password hash, the first Blazor page) took over 20 s once
            // while the other suites ran in parallel.
            login.SetDefaultTimeout(45_000);
            var page = await login.NewPageAsync();
            await page.GotoAsync("/account/login");
            await SubmitAsync(page, email, password);
            state = await login.StorageStateAsync();
        }
        var options = Options(baseAddress);
        options.StorageState = state;
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(20_000);
        return context;
    }

    /// <summary>Fills and posts the sign-in form shown on <paramref name="page"/>, then waits to leave the sign-in page.</summary>
    public static async Task SubmitAsync(IPage page, string email, string password)
    {
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account/login", StringComparison.Ordinal));
    }
}
