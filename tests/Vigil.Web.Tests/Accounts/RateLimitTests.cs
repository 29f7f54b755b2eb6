using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>Small configured limits (Vigil:RateLimits) so the tests reach them; the window is long, so nothing refills mid-test.</summary>
public sealed class RateLimitFactory : VigilWebFactory
{
    public RateLimitFactory()
    {
        With("Vigil:RateLimits:IngestPerKey:PermitLimit", "3");
        With("Vigil:RateLimits:IngestPerKey:WindowSeconds", "3600");
        With("Vigil:RateLimits:SignInPerIp:PermitLimit", "3");
        With("Vigil:RateLimits:SignInPerIp:WindowSeconds", "3600");
    }
}

public class RateLimitTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private const string Span = """{"spans":[{"span_id":"s1","trace_id":"rate-limit"}]}""";

    private static void AssertTooManyWithRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter.Value > TimeSpan.Zero);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Ingest_is_limited_per_key_with_429_and_Retry_After()
    {
        var key = await factory.CreateProjectAsync("rate-a");
        var client = factory.ClientWithKey(key);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync(Span)).StatusCode);
        AssertTooManyWithRetryAfter(await client.PostTracesAsync(Span));

        // Another key has its own budget.
        var other = factory.ClientWithKey(await factory.CreateProjectAsync("rate-b"));
        Assert.Equal(HttpStatusCode.Created, (await other.PostTracesAsync(Span)).StatusCode);
        // Reads are not ingest: the limited key still reads.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/traces")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_posts_are_limited_per_client_address_with_429_and_Retry_After()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await VigilWebFactory.LoginFormAsync(client, "nobody@test.local", "wrong-password-1");
        var fields = await form.ReadAsStringAsync();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
            last = await client.PostAsync("/account/login", new StringContent(fields, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        AssertTooManyWithRetryAfter(last!);
        // The page itself (GET) is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }
}

/// <summary>Ingest per client address: a small per-IP window with a generous per-key one.</summary>
public sealed class IngestPerIpFactory : VigilWebFactory
{
    public IngestPerIpFactory()
    {
        With("Vigil:RateLimits:IngestPerIp:PermitLimit", "4");
        With("Vigil:RateLimits:IngestPerIp:WindowSeconds", "3600");
    }
}

public class IngestPerIpRateLimitTests(IngestPerIpFactory factory) : IClassFixture<IngestPerIpFactory>
{
    private const string Span = """{"spans":[{"span_id":"s1","trace_id":"rate-limit-ip"}]}""";

    [Fact]
    public async Task Ingest_is_limited_per_client_address_whatever_the_key()
    {
        // Fresh keys do not buy a fresh budget: the address's window counts them all.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await factory.ClientWithKey(await factory.CreateProjectAsync($"ip-{i}")).PostTracesAsync(Span)).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        var limited = await factory.ClientWithKey().PostTracesAsync(Span);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
    }
}
