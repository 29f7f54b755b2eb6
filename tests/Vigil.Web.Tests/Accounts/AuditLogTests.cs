using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>A real socket, so the audit log has a real client address (127.0.0.1), and the admin API key.</summary>
public sealed class AuditFactory : VigilWebFactory
{
    public const string AdminApiKey = "vgl_admin_key_for_the_audit_log_tests";

    public AuditFactory()
    {
        With("Vigil:Init:AdminApiKey", AdminApiKey);
        StartKestrel();
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = ClientOptions.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminApiKey);
        return client;
    }
}

public class AuditLogTests(AuditFactory factory) : IClassFixture<AuditFactory>
{
    [Fact]
    public async Task Every_admin_action_is_audited_with_who_what_when_and_from_where()
    {
        var admin = factory.Admin();
        var started = DateTime.UtcNow.AddSeconds(-5);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/projects", new { name = "Audited Project" })).StatusCode);
        var key = await (await admin.PostAsJsonAsync("/v1/projects/audited-project/keys", new { name = "worker" })).JsonAsync();
        var rotated = await (await admin.PostAsync($"/v1/projects/audited-project/keys/{key.GetProperty("id").GetInt64()}/rotate", null)).JsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/v1/projects/audited-project/keys/{rotated.GetProperty("id").GetInt64()}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/projects/audited-project/providers", new { openai = new { api_key = "sk-never-in-the-log" } })).StatusCode);
        var account = await (await admin.PostAsJsonAsync("/v1/accounts", new { email = "audited@test.local", password = "audited-password-1" })).JsonAsync();
        var id = account.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsync($"/v1/projects/audited-project/members/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/projects/audited-project/members/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/accounts/{id}/password-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/accounts/{id}")).StatusCode);
        var channel = await (await admin.PostAsJsonAsync("/v1/channels", new
        {
            project_id = "audited-project", name = "Ops", type = "webhook", url = "https://hooks.audit.test/never/in/the/log",
        })).JsonAsync();
        var channelId = channel.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/channels/{channelId}", new { url = "https://hooks.audit.test/another/secret/path", enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/channels/{channelId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/v1/projects/audited-project/retention", new { days = 7, max_spans = 1000 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/projects/audited-project/retention/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync("/v1/projects/audited-project")).StatusCode);
        // A repeated delete finds the deletion under way: 202 again, but nothing new to audit.
        var again = await admin.DeleteAsync("/v1/projects/audited-project");
        Assert.True(again.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, again.StatusCode.ToString());

        var page = await admin.GetFromJsonAsync<JsonElement>("/v1/audit?limit=100");
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        string[] expected = ["project.create", "key.create", "key.rotate", "key.revoke", "provider.update", "account.create", "membership.add",
            "membership.remove", "account.password_reset_link", "account.delete", "channel.create", "channel.update", "channel.delete", "project.retention", "project.retention_run", "project.delete"];
        foreach (var action in expected)
        {
            var e = entries.FirstOrDefault(x => x.GetProperty("action").GetString() == action);
            Assert.True(e.ValueKind == JsonValueKind.Object, $"No audit entry for {action}");
            Assert.Equal("admin-key", e.GetProperty("actor_id").GetString());
            Assert.Equal("admin API key", e.GetProperty("actor").GetString());
            Assert.Equal("127.0.0.1", e.GetProperty("address").GetString());
            Assert.InRange(e.GetProperty("at").GetDateTime(), started, DateTime.UtcNow.AddSeconds(5));
        }
        Assert.Equal("audited-project", entries.First(e => e.GetProperty("action").GetString() == "project.create").GetProperty("project_id").GetString());
        Assert.Equal("audited@test.local", entries.First(e => e.GetProperty("action").GetString() == "account.delete").GetProperty("target").GetString());
        Assert.Contains("key set", entries.First(e => e.GetProperty("action").GetString() == "provider.update").GetProperty("detail").GetString());
        Assert.DoesNotContain("sk-never-in-the-log", page.GetRawText());
        Assert.DoesNotContain("/never/in/the/log", page.GetRawText());
        Assert.DoesNotContain("secret/path", page.GetRawText());
        var channelUpdate = entries.First(e => e.GetProperty("action").GetString() == "channel.update");
        Assert.Equal("Ops (webhook, https://hooks.audit.test)", channelUpdate.GetProperty("target").GetString());
        Assert.Equal("url replaced, disabled", channelUpdate.GetProperty("detail").GetString());
        Assert.Equal("audited-project", channelUpdate.GetProperty("project_id").GetString());
        Assert.Equal("days 7, max spans 1,000", entries.First(e => e.GetProperty("action").GetString() == "project.retention").GetProperty("detail").GetString());
        Assert.Equal("audited-project", Assert.Single(entries, e => e.GetProperty("action").GetString() == "project.delete").GetProperty("target").GetString());
        // Newest first, and filterable.
        Assert.Equal("project.delete", entries[0].GetProperty("action").GetString());
        var filtered = await admin.GetFromJsonAsync<JsonElement>("/v1/audit?action=key.rotate");
        Assert.All(filtered.GetProperty("entries").EnumerateArray(), e => Assert.Equal("key.rotate", e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_signed_in_admins_actions_name_the_account()
    {
        var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = factory.ClientOptions.BaseAddress };
        var login = await browser.PostAsync("/account/login", await VigilWebFactory.LoginFormAsync(browser, VigilWebFactory.AdminEmail, VigilWebFactory.AdminPassword));
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/v1/projects", new { id = "cookie-made" })).StatusCode);
        var entries = (await factory.Admin().GetFromJsonAsync<JsonElement>("/v1/audit?action=project.create")).GetProperty("entries").EnumerateArray();
        var entry = entries.First(e => e.GetProperty("target").GetString() == "cookie-made");
        Assert.Equal(VigilWebFactory.AdminEmail, entry.GetProperty("actor").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());
        // Only admins read the log.
        var member = factory.ClientWithKey();
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/v1/audit")).StatusCode);
    }
}
