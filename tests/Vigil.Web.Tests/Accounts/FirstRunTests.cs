using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Vigil.Web.Accounts;
using Vigil.Tests;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>The first admin: headless from configuration (every start), or through the one-time setup link.</summary>
public class FirstRunTests
{
    private const string AdminApiKey = "vgl_headless_admin_automation_key_01";

    private static HttpClient Browser(VigilWebFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<T> WithDirAsync<T>(Func<TestStorage, Task<T>> body)
    {
        await using var storage = TestStorage.Create("vigil-web-tests");
        return await body(storage);
    }

    [Fact]
    public Task Headless_admin_variables_work_on_the_first_start_and_every_restart() => WithDirAsync(async dir =>
    {
        string[] passwords = ["first-admin-password", "first-admin-password", "rotated-admin-password"];
        for (var start = 0; start < passwords.Length; start++)
        {
            await using var factory = new VigilWebFactory(dir)
                .With("Vigil:Init:AdminEmail", "ops@headless.test")
                .With("Vigil:Init:AdminPassword", passwords[start])
                .With("Vigil:Init:AdminApiKey", AdminApiKey);
            // Signs in with the configured password (a changed one replaces the old on restart).
            var browser = await factory.SignedInClientAsync("ops@headless.test", passwords[start]);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);
            // Exactly one account, an admin, however many starts.
            var users = await factory.Get<UserAdmin>().ListAsync();
            Assert.Equal("ops@headless.test", Assert.Single(users).Email);
            Assert.True(users[0].IsAdmin);
            // The automation key answers admin endpoints; no setup link exists while an admin is configured.
            Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey(AdminApiKey).GetAsync("/v1/projects")).StatusCode);
            Assert.Null(factory.Get<SetupToken>().Current);
        }
        // The password before the change no longer works.
        await using var last = new VigilWebFactory(dir).With("Vigil:Init:AdminEmail", "ops@headless.test").With("Vigil:Init:AdminPassword", passwords[^1]);
        var client = Browser(last);
        var old = await client.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(client, "ops@headless.test", passwords[0]));
        Assert.Contains("error=invalid", old.Headers.Location!.OriginalString);
        return 0;
    });

    private static VigilWebFactory Interactive(TestStorage dir) =>
        new VigilWebFactory(dir).With("Vigil:Init:AdminEmail", null).With("Vigil:Init:AdminPassword", null);

    private static async Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string token, string email, string password)
    {
        var antiforgery = await VigilWebFactory.AntiforgeryTokenAsync(client, "/account/login");
        return await client.PostAsync("/account/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery, ["token"] = token, ["email"] = email, ["password"] = password,
        }));
    }

    [Fact]
    public Task The_setup_link_creates_the_admin_once_and_never_again() => WithDirAsync(async dir =>
    {
        string token;
        await using (var factory = Interactive(dir))
        {
            _ = factory.Server;
            token = factory.Get<SetupToken>().Current ?? throw new InvalidOperationException("No setup link was issued on a first start without users");
            var browser = Browser(factory);
            Assert.Contains("data-testid=\"setup-form\"", await browser.GetStringAsync($"/account/setup?token={token}"));
            Assert.DoesNotContain("data-testid=\"setup-form\"", await browser.GetStringAsync("/account/setup?token=not-the-token"));

            var created = await PostSetupAsync(browser, token, "first@setup.test", "first-admin-password");
            Assert.Equal("/", created.Headers.Location?.OriginalString);
            // The new admin is signed in.
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);
            var admin = Assert.Single(await factory.Get<UserAdmin>().ListAsync());
            Assert.True(admin.IsAdmin);

            // The link is spent: neither the page nor the post works again.
            var stranger = Browser(factory);
            Assert.Contains("data-testid=\"setup-used\"", await stranger.GetStringAsync($"/account/setup?token={token}"));
            var again = await PostSetupAsync(stranger, token, "second@setup.test", "second-admin-password");
            Assert.Contains("error=used", again.Headers.Location!.OriginalString);
            Assert.Single(await factory.Get<UserAdmin>().ListAsync());
        }
        // A restart with a user in the database issues no link at all.
        await using (var restarted = Interactive(dir))
        {
            _ = restarted.Server;
            Assert.Null(restarted.Get<SetupToken>().Current);
            var again = await PostSetupAsync(Browser(restarted), token, "third@setup.test", "third-admin-password");
            Assert.Contains("error=used", again.Headers.Location!.OriginalString);
            Assert.Single(await restarted.Get<UserAdmin>().ListAsync());
        }
        return 0;
    });

    [Fact]
    public Task A_weak_password_on_the_setup_page_keeps_the_link_usable() => WithDirAsync(async dir =>
    {
        await using var factory = Interactive(dir);
        _ = factory.Server;
        var token = factory.Get<SetupToken>().Current!;
        var browser = Browser(factory);
        var weak = await PostSetupAsync(browser, token, "first@setup.test", "short");
        Assert.Contains("error=weak", weak.Headers.Location!.OriginalString);
        Assert.Empty(await factory.Get<UserAdmin>().ListAsync());
        Assert.Equal("/", (await PostSetupAsync(browser, token, "first@setup.test", "long-enough-password")).Headers.Location?.OriginalString);
        return 0;
    });
}
