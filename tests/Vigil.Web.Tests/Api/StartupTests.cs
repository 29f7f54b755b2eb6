using System.Net;
using Vigil.Tests;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Api;

public class StartupTests
{
    [Fact]
    public async Task Headless_init_gives_a_working_key_on_first_start_and_every_restart()
    {
        await using var storage = TestStorage.Create("vigil-web-tests");
        for (var start = 0; start < 2; start++)
        {
            {
                await using var factory = new VigilWebFactory(storage)
                    .With("Vigil:Init:ProjectId", "headless")
                    .With("Vigil:Init:ApiKey", "vgl_headless_key_for_restart_test");
                var client = factory.ClientWithKey("vgl_headless_key_for_restart_test");
                Assert.Equal(HttpStatusCode.Created, (await client.PostTracesAsync($$"""{"spans":[{"span_id":"s{{start}}","trace_id":"restart"}]}""")).StatusCode);
                var trace = await (await client.GetAsync("/v1/traces/restart")).JsonAsync();
                Assert.Equal(start + 1, trace.GetProperty("span_count").GetInt32());
            }
        }
    }

    [Fact]
    public async Task A_first_start_without_configuration_creates_the_default_project()
    {
        await using var factory = new VigilWebFactory().With("Vigil:Init:ProjectId", null);
        _ = factory.Server; // start
        var first = factory.Get<Vigil.Core.Storage.FirstRun>();
        Assert.Equal("default", first.ProjectId);
    }

    [Fact]
    public void A_bad_setting_stops_start_up_with_a_message_naming_it()
    {
        using var factory = new VigilWebFactory().With("Vigil:Init:ProjectId", "Not A Slug");
        var ex = Assert.ThrowsAny<Exception>(() => factory.Server);
        Assert.Contains("Vigil:Init:ProjectId", ex.ToString());
    }

    [Theory]
    [InlineData("https://localhost:4317")]
    [InlineData("localhost")]
    public void A_bad_OTLP_gRPC_endpoint_stops_start_up_naming_the_setting(string endpoint)
    {
        using var factory = new VigilWebFactory().With("Vigil:Otlp:GrpcEndpoint", endpoint);
        var ex = Assert.ThrowsAny<Exception>(() => factory.Server);
        Assert.Contains("Vigil:Otlp:GrpcEndpoint", ex.ToString());
    }
}
