using Microsoft.Extensions.Configuration;
using Vigil.Web.Ingest.Grpc;

namespace Vigil.Web.Tests.Ingest.Grpc;

/// <summary>With the gRPC endpoint declared in code, the server's HTTP addresses are the ones ASP.NET Core would have bound.</summary>
public class HostingUrlsTests
{
    private static IReadOnlyList<string> Resolve(params (string Key, string Value)[] settings) =>
        HostingUrls.Resolve(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Urls_win_then_the_port_settings_then_the_default()
    {
        Assert.Equal(["http://localhost:5000", "http://+:8081"], Resolve(("urls", "http://localhost:5000; http://+:8081"), ("http_ports", "8080")));
        Assert.Equal(["http://*:8080", "https://*:8443"], Resolve(("http_ports", "8080"), ("https_ports", "8443")));
        Assert.Equal([HostingUrls.Default], Resolve());
    }

    [Fact]
    public void Endpoints_in_Kestrels_own_configuration_are_left_to_Kestrel()
    {
        Assert.Empty(Resolve(("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:9000")));
    }
}
