using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Web.Ingest.Grpc;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest.Grpc;

/// <summary>
/// Vigil on real Kestrel sockets with the OTLP/gRPC endpoint enabled: the HTTP address and the gRPC one both on free
/// ports of 127.0.0.1 (never the default 4317), declared the way a real run declares them (<c>urls</c> + the endpoint).
/// </summary>
public class GrpcVigilFactory : VigilWebFactory
{
    public GrpcVigilFactory()
    {
        With("urls", "http://127.0.0.1:0");
        With("Vigil:Otlp:GrpcEndpoint", "http://127.0.0.1:0");
        Configure();
        // Kestrel with no endpoint of the test's own: the server binds what the settings above declare, as a real run does.
        UseKestrel(_ => { });
        StartServer();
        // Clients of the API go to the HTTP address (Kestrel lists the gRPC one among the server's addresses too).
        ClientOptions.BaseAddress = HttpAddresses[0];
    }

    /// <summary>Extra settings of a derived host, before it starts.</summary>
    protected virtual void Configure() { }

    public Uri GrpcAddress => Services.GetRequiredService<OtlpGrpcListener>().Address
        ?? throw new InvalidOperationException("The OTLP/gRPC endpoint is not listening.");

    /// <summary>The HTTP addresses (not the gRPC one).</summary>
    public IReadOnlyList<Uri> HttpAddresses => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .Select(a => new Uri(a)).Where(a => a.Port != GrpcAddress.Port).ToList();
}
