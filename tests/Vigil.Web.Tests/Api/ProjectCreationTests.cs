using System.Net;
using System.Net.Http.Json;
using Vigil.Web.Tests.Accounts;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

/// <summary>POST /v1/projects in the original Vigil server's shape ({name, description}) and in Vigil's ({id, ...}).</summary>
public class ProjectCreationTests(AdminKeyFactory factory) : IClassFixture<AdminKeyFactory>
{
    private HttpClient Admin => factory.ClientWithKey(AdminKeyFactory.AdminApiKey);

    /// <summary>Finding: <c>{"name": "Support bot"}</c> answered 400 (id required).</summary>
    [Fact]
    public async Task Name_and_description_alone_create_a_project_with_a_derived_unique_id()
    {
        var first = await Admin.PostAsJsonAsync("/v1/projects", new { name = "Support bot", description = "Tier-1 support agent" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.Equal("support-bot", body.GetProperty("id").GetString());
        Assert.Equal("Support bot", body.GetProperty("name").GetString());
        Assert.Equal("Tier-1 support agent", body.GetProperty("description").GetString());
        Assert.Equal("/v1/projects/support-bot", first.Headers.Location!.OriginalString);
        var key = body.GetProperty("api_key").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientWithKey(key).PostTracesAsync("""{"spans":[{"span_id":"s1"}]}""")).StatusCode);

        var second = await (await Admin.PostAsJsonAsync("/v1/projects", new { name = "Support Bot" })).JsonAsync();
        Assert.Equal("support-bot-2", second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_explicit_id_still_works_and_a_taken_one_is_409()
    {
        var created = await Admin.PostAsJsonAsync("/v1/projects", new { id = "explicit-id", name = "Explicit" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("explicit-id", (await created.JsonAsync()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/v1/projects", new { id = "explicit-id" })).StatusCode);
        var invalid = await Admin.PostAsJsonAsync("/v1/projects", new { id = "Not A Slug" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.JsonAsync()).GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Neither_name_nor_id_is_400_naming_the_field()
    {
        var response = await Admin.PostAsJsonAsync("/v1/projects", new { description = "nothing else" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("name", out _));
    }

    /// <summary>Found by fuzzing: two creates of one id at once answered 500 (a unique-key violation) to the slower one.</summary>
    [Fact]
    public async Task Concurrent_creates_of_one_id_answer_one_201_and_409s_never_500()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Admin.PostAsJsonAsync("/v1/projects", new { id = "raced-id" })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        var byName = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Admin.PostAsJsonAsync("/v1/projects", new { name = "Raced Name" })));
        Assert.All(byName, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(byName.Select(async r => (await r.JsonAsync()).GetProperty("id").GetString()));
        Assert.Equal(6, ids.Distinct().Count());
    }
}
