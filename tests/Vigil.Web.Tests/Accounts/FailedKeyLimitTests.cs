using System.Net;
using Vigil.Core.Projects;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Accounts;

/// <summary>Three failed key lookups per address per hour, so the test reaches the limit.</summary>
public sealed class FailedKeyFactory : VigilWebFactory
{
    public FailedKeyFactory()
    {
        With("Vigil:RateLimits:FailedKeyPerIp:PermitLimit", "3");
        With("Vigil:RateLimits:FailedKeyPerIp:WindowSeconds", "3600");
        With("Vigil:ApiKeys:CacheEntries", "100");
    }
}

public class FailedKeyLimitTests(FailedKeyFactory factory) : IClassFixture<FailedKeyFactory>
{
    private const string Span = """{"spans":[{"span_id":"s1","trace_id":"failed-keys"}]}""";

    [Fact]
    public async Task Unknown_keys_are_limited_per_address_while_a_key_in_use_keeps_working()
    {
        // The project's key is used (and so cached as valid) before the address runs out of failed lookups.
        var good = factory.ClientWithKey();
        Assert.Equal(HttpStatusCode.Created, (await good.PostTracesAsync(Span)).StatusCode);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey(ApiKeySecret.Generate()).PostTracesAsync(Span)).StatusCode);
        var limited = await factory.ClientWithKey(ApiKeySecret.Generate()).GetAsync("/v1/traces");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.Created, (await good.PostTracesAsync(Span)).StatusCode);
        // No key at all is no lookup: still a plain 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/v1/traces")).StatusCode);
    }
}
