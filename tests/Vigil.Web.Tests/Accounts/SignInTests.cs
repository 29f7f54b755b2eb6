using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

public class SignInTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private HttpClient NewBrowser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password) =>
        await client.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(client, email, password));

    [Fact]
    public async Task An_anonymous_page_request_is_sent_to_the_sign_in_page_with_its_return_url()
    {
        var response = await NewBrowser().GetAsync("/traces?project=test-project");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2Ftraces%3Fproject%3Dtest-project", response.Headers.Location.Query);
    }

    [Fact]
    public async Task The_right_password_signs_in_and_goes_back_to_the_return_url()
    {
        var client = NewBrowser();
        var form = await VigilWebFactory.LoginFormAsync(client, VigilWebFactory.AdminEmail, VigilWebFactory.AdminPassword, returnUrl: "/traces");
        var response = await client.PostAsync("/account/login", form);
        Assert.Equal("/traces", response.Headers.Location?.OriginalString);
        var page = await client.GetAsync("/traces");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var client = NewBrowser();
        var form = await VigilWebFactory.LoginFormAsync(client, VigilWebFactory.AdminEmail, VigilWebFactory.AdminPassword, returnUrl: "//evil.example/x");
        var response = await client.PostAsync("/account/login", form);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        const string email = "lockout@test.local";
        var password = await factory.CreateMemberAsync(email, VigilWebFactory.ProjectId);
        var client = NewBrowser();
        for (var i = 0; i < 4; i++)
            Assert.Contains("error=invalid", (await PostLoginAsync(client, email, "wrong-password-" + i)).Headers.Location!.OriginalString);
        // The fifth failure locks the account.
        Assert.Contains("error=locked", (await PostLoginAsync(client, email, "wrong-password-5")).Headers.Location!.OriginalString);

        var right = await PostLoginAsync(client, email, password);
        Assert.Contains("error=locked", right.Headers.Location!.OriginalString);
        Assert.False(right.Headers.Contains("Set-Cookie") && right.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("vigil.auth=")));
        Assert.Contains(await factory.Get<Vigil.Web.Accounts.UserAdmin>().ListAsync(), u => u.Email == email && u.LockedOut);
    }

    [Fact]
    public async Task Signing_out_through_the_form_ends_the_session()
    {
        var client = await factory.SignedInClientAsync();
        // The layout's sign-out form carries the antiforgery token.
        var token = await VigilWebFactory.AntiforgeryTokenAsync(client, "/");
        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal("/account/login", response.Headers.Location?.OriginalString);
        var page = await client.GetAsync("/");
        Assert.Equal("/account/login", page.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task A_sign_out_without_the_token_is_refused_and_the_session_stays()
    {
        var client = await factory.SignedInClientAsync();
        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_cookie_is_http_only_and_same_site()
    {
        var client = NewBrowser();
        var response = await PostLoginAsync(client, VigilWebFactory.AdminEmail, VigilWebFactory.AdminPassword);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vigil.auth="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
