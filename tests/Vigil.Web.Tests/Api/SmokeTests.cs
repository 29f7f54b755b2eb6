using System.Net;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

public class SmokeTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    [Fact]
    public async Task Headless_key_ingests_and_reads_back()
    {
        var client = factory.ClientWithKey();
        var post = await client.PostTracesAsync(Fixtures.Read("native/python-sdk-openai.json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var trace = await (await client.GetAsync("/v1/traces/9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001")).JsonAsync();
        Assert.Equal(3, trace.GetProperty("span_count").GetInt32());
    }
}
