using System.Net;
using System.Net.Http.Json;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

public sealed class AdminKeyFactory : VigilWebFactory
{
    public const string AdminApiKey = "vgl_admin_key_for_key_management_tests";
    public AdminKeyFactory() => With("Vigil:Init:AdminApiKey", AdminApiKey);
}

/// <summary>Projects and their named keys through the API, as automation (admin API key) or a signed-in admin would.</summary>
public class KeyManagementApiTests(AdminKeyFactory factory) : IClassFixture<AdminKeyFactory>
{
    private const string Span = """{"spans":[{"span_id":"s1","trace_id":"key-mgmt"}]}""";

    [Fact]
    public async Task The_admin_key_creates_a_project_and_a_named_key_then_rotates_and_revokes_it()
    {
        var admin = factory.ClientWithKey(AdminKeyFactory.AdminApiKey);
        var project = await admin.PostAsJsonAsync("/v1/projects", new { id = "keys-api", name = "Keys API" });
        Assert.Equal(HttpStatusCode.Created, project.StatusCode);

        var created = await (await admin.PostAsJsonAsync("/v1/projects/keys-api/keys", new { name = "ingest-worker" })).JsonAsync();
        var secret = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("ingest-worker", created.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientWithKey(secret).PostTracesAsync(Span)).StatusCode);

        // Listed by prefix, never by secret, with its last use.
        var listed = await admin.GetStringAsync("/v1/projects/keys-api");
        Assert.DoesNotContain(secret, listed);
        Assert.Contains(created.GetProperty("prefix").GetString()!, listed);

        var rotated = await (await admin.PostAsync($"/v1/projects/keys-api/keys/{id}/rotate", null)).JsonAsync();
        var replacement = rotated.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey(secret).PostTracesAsync(Span)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientWithKey(replacement).PostTracesAsync(Span)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/v1/projects/keys-api/keys/{rotated.GetProperty("id").GetInt64()}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey(replacement).PostTracesAsync(Span)).StatusCode);
    }

    [Fact]
    public async Task A_key_of_another_project_is_404_and_a_project_key_cannot_manage_keys()
    {
        var admin = factory.ClientWithKey(AdminKeyFactory.AdminApiKey);
        var (key, _) = await factory.Get<Vigil.Core.Projects.ProjectService>().CreateKeyAsync(VigilWebFactory.ProjectId, "elsewhere");
        await factory.CreateProjectAsync("keys-other");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/v1/projects/keys-other/keys/{key.Id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientWithKey().PostAsJsonAsync($"/v1/projects/{VigilWebFactory.ProjectId}/keys", new { name = "self-made" })).StatusCode);
    }
}
