using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Accounts;
using Vigil.E2E.Tests.Infrastructure;
using Vigil.Web.Accounts;

namespace Vigil.E2E.Tests;

/// <summary>Accounts in the browser: deleting a user ends their open dashboard, the audit tab, the account page, a reset link.</summary>
public partial class DashboardTests
{
    [Fact]
    public async Task Deleting_a_user_ends_their_open_dashboard_and_the_audit_tab_shows_who_did_it()
    {
        const string email = "short.lived@e2e.test", password = "short-lived-password";
        var users = fx.Server.Services.GetRequiredService<UserAdmin>();
        var (_, user) = await users.CreateAsync(email, password, VigilRoles.Member);
        await fx.Server.Services.GetRequiredService<MembershipService>().AddAsync(E2EWebFactory.ProjectId, user!.Id);

        // The member has the trace list open (a live circuit).
        await using var memberContext = await BrowserSignIn.NewContextAsync(fx.Browser, fx.Server.BaseAddress, email, password);
        var member = await memberContext.NewPageAsync();
        await fx.OpenAsync("/traces", member);
        await Assertions.Expect(member.Locator("[data-testid=trace-total]")).ToBeVisibleAsync();

        // The admin deletes the account in Settings.
        var admin = await fx.OpenAsync("/settings");
        var row = admin.Locator($"tr[data-email='{email}']");
        await row.Locator("[data-testid=delete-user]").ClickAsync();
        await row.Locator("[data-testid=confirm-delete-user]").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-testid=user-message]")).ToContainTextAsync($"Deleted {email}");
        await fx.ScreenshotAsync(admin, "accounts-08-user-deleted");

        // The member's open page drops to the sign-in page without a reload.
        await member.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login", new PageWaitForURLOptions { Timeout = 15_000 });
        await fx.ScreenshotAsync(member, "accounts-09-deleted-user-signed-out");

        // The audit tab says who deleted whom, when and from where.
        await admin.Locator(".mud-tab", new PageLocatorOptions { HasText = "Audit log" }).ClickAsync();
        var entry = admin.Locator("[data-testid=audit-row][data-action='account.delete']").First;
        await Assertions.Expect(entry).ToContainTextAsync(email);
        await Assertions.Expect(entry).ToContainTextAsync(E2EWebFactory.AdminEmail);
        await Assertions.Expect(entry).ToContainTextAsync("127.0.0.1");
        await fx.ScreenshotAsync(admin, "accounts-10-audit-log");
        await admin.CloseAsync();
    }

    [Fact]
    public async Task A_reset_link_from_settings_lets_its_owner_choose_a_password_and_the_account_page_changes_it()
    {
        const string email = "forgetful.user@e2e.test";
        await fx.Server.Services.GetRequiredService<UserAdmin>().CreateAsync(email, "forgotten-password-1", VigilRoles.Member);
        var admin = await fx.OpenAsync("/settings");
        await admin.Locator($"tr[data-email='{email}'] [data-testid=reset-link]").ClickAsync();
        var link = (await admin.Locator("[data-testid=users-panel] [data-testid=new-secret-value]").TextContentAsync())!.Trim();
        Assert.Contains("/account/reset?user=", link);
        await fx.ScreenshotAsync(admin, "accounts-11-reset-link");
        await admin.CloseAsync();

        // The owner opens the link in a browser of their own.
        await using var owner = await fx.Browser.NewContextAsync(BrowserSignIn.Options(fx.Server.BaseAddress));
        var page = await owner.NewPageAsync();
        await page.GotoAsync(link);
        await fx.ScreenshotAsync(page, "accounts-12-reset-page");
        await page.FillAsync("[data-testid=reset-password]", "remembered-password-1");
        await page.ClickAsync("[data-testid=reset-submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await Assertions.Expect(page.Locator("[data-testid=login-notice]")).ToContainTextAsync("password is set");
        await BrowserSignIn.SubmitAsync(page, email, "remembered-password-1");

        // Settings → Your account → the account page changes the password.
        await fx.OpenAsync("/settings", page);
        await page.Locator(".mud-tab", new PageLocatorOptions { HasText = "Your account" }).ClickAsync();
        await page.ClickAsync("[data-testid=manage-account]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/manage");
        await page.FillAsync("[data-testid=current-password]", "remembered-password-1");
        await page.FillAsync("[data-testid=new-password]", "changed-password-22");
        await page.ClickAsync("[data-testid=change-password]");
        await Assertions.Expect(page.Locator("[data-testid=manage-notice]")).ToContainTextAsync("password was changed");
        await fx.ScreenshotAsync(page, "accounts-13-manage-account");
    }
}
