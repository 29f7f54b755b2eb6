using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Vigil.Tests.Cluster;

/// <summary>What one instance decides about keys and sign-ins holds on the other.</summary>
public class KeysAndSessionsTests(ClusterFixture f) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_key_revoked_on_A_gets_401_on_B_within_2_s()
    {
        using var admin = f.A.Client(ClusterNode.AdminApiKey);
        var created = await (await admin.PostAsync($"/v1/projects/{ClusterNode.ProjectId}/keys", Http.Json("""{"name":"short-lived"}"""))).JsonAsync();
        var key = created.GetProperty("key").GetString()!;
        using var onB = f.B.Client(key);
        // B looks the key up once and caches the answer (30 s): only the invalidation over Redis can end it sooner.
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/v1/traces?limit=1")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/v1/projects/{ClusterNode.ProjectId}/keys/{created.GetProperty("id").GetInt64()}/revoke", null)).StatusCode);
        var sw = Stopwatch.StartNew();
        await Http.UntilAsync(async () => (await onB.GetAsync("/v1/traces?limit=1")).StatusCode == HttpStatusCode.Unauthorized, Promise, "401 on B for the revoked key");
        Assert.True(sw.Elapsed < Promise, $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task A_key_rotated_on_B_stops_on_A_within_2_s_and_its_successor_works_there()
    {
        using var admin = f.B.Client(ClusterNode.AdminApiKey);
        var created = await (await admin.PostAsync($"/v1/projects/{ClusterNode.ProjectId}/keys", Http.Json("""{"name":"rotated"}"""))).JsonAsync();
        using var oldOnA = f.A.Client(created.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await oldOnA.GetAsync("/v1/traces?limit=1")).StatusCode);

        var rotated = await (await admin.PostAsync($"/v1/projects/{ClusterNode.ProjectId}/keys/{created.GetProperty("id").GetInt64()}/rotate", null)).JsonAsync();
        await Http.UntilAsync(async () => (await oldOnA.GetAsync("/v1/traces?limit=1")).StatusCode == HttpStatusCode.Unauthorized, Promise, "401 on A for the rotated key");
        using var newOnA = f.A.Client(rotated.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await newOnA.GetAsync("/v1/traces?limit=1")).StatusCode);
    }

    [Fact]
    public async Task The_antiforgery_token_of_A_signs_in_on_B_and_the_cookie_of_B_opens_the_dashboard_on_A()
    {
        // One browser behind a balancer: same host, so one cookie jar for both instances (cookies ignore the port).
        var jar = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        using var a = f.A.Client(apiKey: null, jar);
        using var b = new HttpClient(jar, disposeHandler: false) { BaseAddress = f.B.BaseAddress };

        var html = await a.GetStringAsync("/account/login");
        var token = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.NotEmpty(token);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["email"] = ClusterNode.AdminEmail, ["password"] = ClusterNode.AdminPassword,
        });
        var signIn = await b.PostAsync("/account/login", form);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);

        var dashboard = await a.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        // And a cookie nobody issued is refused, so the 200 above is the shared key ring's doing.
        using var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = f.A.BaseAddress };
        stranger.DefaultRequestHeaders.Add("Cookie", "vigil.auth=CfDJ8forged");
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/")).StatusCode);
    }
}
