using Microsoft.Playwright;

namespace Vigil.Bench.Soak;

/// <summary>Signs a browser context in to the dashboard with an email and password (the soak and the page timings).</summary>
public static class DashboardSignIn
{
    public static async Task SignInAsync(IBrowserContext context, string email, string password)
    {
        var login = await context.NewPageAsync();
        await login.GotoAsync("/account/login");
        await login.FillAsync("[data-testid=login-email]", email);
        await login.FillAsync("[data-testid=login-password]", password);
        await login.ClickAsync("[data-testid=login-submit]");
        await login.WaitForURLAsync(u => !new Uri(u).AbsolutePath.StartsWith("/account/login", StringComparison.Ordinal));
        await login.CloseAsync();
    }
}
