using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

public class SecurityHeaderTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private static void AssertHardened(HttpResponseMessage response, bool page)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        var csp = response.Headers.GetValues("Content-Security-Policy").ToList();
        Assert.Contains(csp, c => c.Contains("frame-ancestors 'none'"));
        // Every CSP header that names frame-ancestors says 'none' (Blazor adds its own header too).
        Assert.All(csp.Where(c => c.Contains("frame-ancestors")), c => Assert.Contains("frame-ancestors 'none'", c));
        if (!page) return;
        var policy = csp.Single(c => c.Contains("default-src"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy);
    }

    [Fact]
    public async Task The_sign_in_page_has_the_security_headers() =>
        AssertHardened(await factory.CreateClient().GetAsync("/account/login"), page: true);

    [Fact]
    public async Task Dashboard_pages_have_the_security_headers() =>
        AssertHardened(await (await factory.SignedInClientAsync()).GetAsync("/traces"), page: true);

    [Fact]
    public async Task Api_answers_have_them_too() =>
        AssertHardened(await factory.ClientWithKey().GetAsync("/v1/traces"), page: false);
}
