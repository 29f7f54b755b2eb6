using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>Vigil on a real Kestrel socket, for clients (OTLP exporters) that open their own connections.</summary>
public sealed class KestrelVigilFactory : VigilWebFactory
{
    public KestrelVigilFactory() => StartKestrel();

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public Uri TracesEndpoint => new(BaseAddress, "/v1/traces");
}
