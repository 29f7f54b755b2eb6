using System.Net;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

public class AuthAndScopeTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private const string SpanJson = """{"spans":[{"span_id":"s","trace_id":"scoped-1","name":"secret-work"}]}""";

    [Fact]
    public async Task No_key_and_unknown_key_are_401_with_problem_details()
    {
        var anonymous = await factory.CreateClient().PostTracesAsync(SpanJson);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("API key is required", (await anonymous.JsonAsync()).GetProperty("detail").GetString());

        var wrong = await factory.ClientWithKey("vgl_not_a_real_key_000000000000").GetAsync("/v1/traces");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task The_x_api_key_header_works_too()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", VigilWebFactory.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/traces")).StatusCode);
    }

    [Fact]
    public async Task Another_projects_key_sees_a_404_and_an_empty_list()
    {
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientWithKey().PostTracesAsync(SpanJson)).StatusCode);
        var otherKey = await factory.CreateProjectAsync("other-project");
        var other = factory.ClientWithKey(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/v1/traces/scoped-1")).StatusCode);
        Assert.Equal(0, (await (await other.GetAsync("/v1/traces")).JsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(0, (await (await other.GetAsync("/v1/spans?trace_id=scoped-1")).JsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsync("/v1/traces/scoped-1", Fixtures.Json("""{"status":"error"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/v1/traces/scoped-1/events/s", Fixtures.Json("""{"name":"x"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/projects/{VigilWebFactory.ProjectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v1/projects/{VigilWebFactory.ProjectId}/rotate-key", null)).StatusCode);

        // The same ids in the other project are its own rows; the first project's trace is untouched.
        Assert.Equal(HttpStatusCode.Created, (await other.PostTracesAsync(SpanJson.Replace("secret-work", "theirs"))).StatusCode);
        var mine = await (await factory.ClientWithKey().GetAsync("/v1/traces/scoped-1")).JsonAsync();
        Assert.Equal("secret-work", mine.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Rotating_a_key_revokes_the_old_one()
    {
        var key = await factory.CreateProjectAsync("rotating");
        var client = factory.ClientWithKey(key);
        var rotated = await client.PostAsync("/v1/projects/rotating/rotate-key", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = (await rotated.JsonAsync()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/traces")).StatusCode);
        var project = await (await factory.ClientWithKey(fresh).GetAsync("/v1/projects/rotating")).JsonAsync();
        var keys = project.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.Single(keys, k => k.GetProperty("revoked_at").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.DoesNotContain(fresh, project.ToString());
    }
}
