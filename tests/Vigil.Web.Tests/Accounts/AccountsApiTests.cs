using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Web.Accounts;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>Accounts completed: the admin API, deletion ending sessions, password change and reset, sign out everywhere.</summary>
public class AccountsApiTests(AdminKeyFactory factory) : IClassFixture<AdminKeyFactory>
{
    private HttpClient Admin => factory.ClientWithKey(AdminKeyFactory.AdminApiKey);

    private HttpClient NewBrowser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<JsonElement> CreateAccountAsync(object body)
    {
        var response = await Admin.PostAsJsonAsync("/v1/accounts", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = NewBrowser();
        var response = await client.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(client, email, password));
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return client;
    }

    private static async Task<bool> IsSignedInAsync(HttpClient browser) => (await browser.GetAsync("/")).StatusCode == HttpStatusCode.OK;

    /// <summary>A form on <paramref name="page"/> posted with its antiforgery token.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await VigilWebFactory.AntiforgeryTokenAsync(client, page);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>Finding: accounts and memberships could be managed only in the UI.</summary>
    [Fact]
    public async Task Accounts_and_memberships_are_managed_through_the_API()
    {
        await factory.CreateProjectAsync("acc-api-b");
        var created = await CreateAccountAsync(new { email = "api-member@test.local", password = "api-member-pass-1", role = "member", projects = new[] { VigilWebFactory.ProjectId } });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("member", created.GetProperty("role").GetString());

        var listed = (await Admin.GetFromJsonAsync<JsonElement>("/v1/accounts")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
        Assert.Equal([VigilWebFactory.ProjectId], listed.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsync($"/v1/projects/acc-api-b/members/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsync($"/v1/projects/acc-api-b/members/{id}", null)).StatusCode); // idempotent
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/projects/{VigilWebFactory.ProjectId}/members/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/v1/projects/{VigilWebFactory.ProjectId}/members/{id}")).StatusCode);
        var one = await Admin.GetFromJsonAsync<JsonElement>($"/v1/accounts/{id}");
        Assert.Equal(["acc-api-b"], one.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));

        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/v1/accounts", new { email = "api-member@test.local", password = "api-member-pass-1" })).StatusCode);
        var weak = await Admin.PostAsJsonAsync("/v1/accounts", new { email = "weak@test.local", password = "short" });
        Assert.True((await weak.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PutAsync($"/v1/projects/acc-api-b/members/no-such-account", null)).StatusCode);
    }

    /// <summary>Finding: accounts could not be deleted; a deleted account's sessions must end at once.</summary>
    [Fact]
    public async Task Deleting_an_account_ends_its_sessions_at_once()
    {
        var created = await CreateAccountAsync(new { email = "doomed@test.local", password = "doomed-password-1", projects = new[] { VigilWebFactory.ProjectId } });
        var browser = await SignedInAsync("doomed@test.local", "doomed-password-1");
        Assert.True(await IsSignedInAsync(browser));

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/accounts/{created.GetProperty("id").GetString()}")).StatusCode);
        var next = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.Equal("/account/login", next.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/v1/accounts/{created.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task The_last_admin_cannot_be_deleted()
    {
        var extra = await CreateAccountAsync(new { email = "second-admin@test.local", password = "second-admin-pass-1", role = "admin" });
        var admins = (await Admin.GetFromJsonAsync<JsonElement>("/v1/accounts")).EnumerateArray()
            .Where(a => a.GetProperty("role").GetString() == "admin")
            // The configured admin stays: other tests of the class sign in with it.
            .OrderBy(a => a.GetProperty("email").GetString() == VigilWebFactory.AdminEmail ? 0 : 1)
            .Select(a => a.GetProperty("id").GetString()!).ToList();
        Assert.Contains(extra.GetProperty("id").GetString(), admins);
        // Every admin but one can go (other tests of this class may have made some); the last one cannot.
        foreach (var id in admins.Skip(1)) Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/accounts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.DeleteAsync($"/v1/accounts/{admins[0]}")).StatusCode);
    }

    [Fact]
    public async Task A_dashboard_circuit_drops_its_user_when_the_accounts_sessions_end()
    {
        using var scope = factory.Services.CreateScope();
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "circuit-user"), new Claim(ClaimTypes.Name, "c@test.local")], "test"));
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
        var changed = new TaskCompletionSource<AuthenticationState>();
        provider.AuthenticationStateChanged += async s => changed.TrySetResult(await s);
        Assert.True((await provider.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);

        factory.Get<SessionRevocations>().Revoke("someone-else");
        Assert.True((await provider.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);
        factory.Get<SessionRevocations>().Revoke("circuit-user");
        var after = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(after.User.Identity!.IsAuthenticated);
    }

    /// <summary>Finding: there was no password change.</summary>
    [Fact]
    public async Task Changing_your_password_keeps_this_session_and_ends_the_others()
    {
        await CreateAccountAsync(new { email = "changer@test.local", password = "changer-password-1" });
        var here = await SignedInAsync("changer@test.local", "changer-password-1");
        var elsewhere = await SignedInAsync("changer@test.local", "changer-password-1");

        var wrong = await PostFormAsync(here, "/account/manage", "/account/password", new() { ["current"] = "not-the-password", ["password"] = "changer-password-2" });
        Assert.Equal("/account/manage?error=wrong", wrong.Headers.Location?.OriginalString);
        var changed = await PostFormAsync(here, "/account/manage", "/account/password", new() { ["current"] = "changer-password-1", ["password"] = "changer-password-2" });
        Assert.Equal("/account/manage?done=password", changed.Headers.Location?.OriginalString);

        Assert.True(await IsSignedInAsync(here));
        Assert.False(await IsSignedInAsync(elsewhere));
        await SignedInAsync("changer@test.local", "changer-password-2");
        var old = NewBrowser();
        var refused = await old.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(old, "changer@test.local", "changer-password-1"));
        Assert.Contains("error=invalid", refused.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_account()
    {
        await CreateAccountAsync(new { email = "everywhere@test.local", password = "everywhere-password-1" });
        var here = await SignedInAsync("everywhere@test.local", "everywhere-password-1");
        var elsewhere = await SignedInAsync("everywhere@test.local", "everywhere-password-1");
        var other = await SignedInAsync(VigilWebFactory.AdminEmail, VigilWebFactory.AdminPassword);

        var response = await PostFormAsync(here, "/account/manage", "/account/sign-out-everywhere", []);
        Assert.Equal("/account/login?notice=signed-out-everywhere", response.Headers.Location?.OriginalString);
        Assert.False(await IsSignedInAsync(here));
        Assert.False(await IsSignedInAsync(elsewhere));
        Assert.True(await IsSignedInAsync(other)); // another account is not touched
        // Without the page's antiforgery token a cross-site post cannot do it.
        var forged = await other.PostAsync("/account/sign-out-everywhere", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(await IsSignedInAsync(other));
    }

    /// <summary>Finding: there was no admin password reset.</summary>
    [Fact]
    public async Task An_admin_reset_link_sets_a_new_password_once()
    {
        var id = (await CreateAccountAsync(new { email = "forgetful@test.local", password = "forgotten-password-1" })).GetProperty("id").GetString()!;
        var session = await SignedInAsync("forgetful@test.local", "forgotten-password-1");
        var link = await (await Admin.PostAsync($"/v1/accounts/{id}/password-reset", null)).JsonAsync();
        var url = new Uri(link.GetProperty("url").GetString()!);
        Assert.Equal("/account/reset", url.AbsolutePath);
        Assert.True(link.GetProperty("expires_at").GetDateTime() > DateTime.UtcNow);

        var anonymous = NewBrowser();
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        var fields = new Dictionary<string, string> { ["user"] = query["user"]!, ["token"] = query["token"]!, ["password"] = "remembered-password-1" };
        var done = await PostFormAsync(anonymous, url.PathAndQuery, "/account/reset", new(fields));
        Assert.Equal("/account/login?notice=password-set", done.Headers.Location?.OriginalString);
        await SignedInAsync("forgetful@test.local", "remembered-password-1");
        Assert.False(await IsSignedInAsync(session)); // the reset ended the old session

        fields["password"] = "second-use-password-1";
        var again = await PostFormAsync(NewBrowser(), url.PathAndQuery, "/account/reset", new(fields));
        Assert.Contains("error=invalid-link", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_account_made_without_a_password_gets_a_one_time_link_to_set_one()
    {
        var created = await CreateAccountAsync(new { email = "linked@test.local", role = "admin" });
        Assert.Equal("admin", created.GetProperty("role").GetString());
        var url = new Uri(created.GetProperty("password_url").GetString()!);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        var done = await PostFormAsync(NewBrowser(), url.PathAndQuery, "/account/reset",
            new() { ["user"] = query["user"]!, ["token"] = query["token"]!, ["password"] = "first-own-password-1" });
        Assert.Equal("/account/login?notice=password-set", done.Headers.Location?.OriginalString);
        await SignedInAsync("linked@test.local", "first-own-password-1");
    }
}
