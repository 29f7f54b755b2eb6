using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Vigil.Web.Hosting;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>
/// Adds the OTLP/gRPC endpoint to Kestrel: HTTP/2 only (h2c, what gRPC clients speak without TLS), its connections marked
/// so that the endpoint serves gRPC and nothing else; and the hosting URLs beside it (<see cref="HostingUrls"/>).
/// In-memory test servers never read Kestrel's options, so this changes nothing there.
/// </summary>
internal sealed class OtlpGrpcKestrelSetup(IConfiguration configuration, IOptions<OtlpGrpcOptions> options, OtlpGrpcListener listener,
    ILogger<OtlpGrpcKestrelSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var endpoint = options.Value.GrpcEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        foreach (var url in HostingUrls.Moved(configuration)) HostingUrls.Listen(kestrel, url, _ => { });
        // The default port is often held by an OpenTelemetry Collector or another Vigil on the same machine; the
        // dashboard, the API and OTLP/HTTP still work without it. An address someone configured must bind or fail.
        var configured = configuration[$"{OtlpGrpcOptions.Section}:{nameof(OtlpGrpcOptions.GrpcEndpoint)}"] is not null;
        if (!configured && PortInUse.IsTaken(BindingAddress.Parse(endpoint)))
        {
            logger.LogWarning("OTLP/gRPC is off: its default address {GrpcEndpoint} is taken by another process (an OpenTelemetry " +
                "Collector or another Vigil?). OTLP/HTTP works on the dashboard's port; for gRPC, set Vigil:Otlp:GrpcEndpoint to a free " +
                "address, e.g. http://localhost:4319.", endpoint);
            return;
        }
        HostingUrls.Listen(kestrel, endpoint, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            o.Use(next => connection =>
            {
                connection.Items[OtlpGrpcListener.ConnectionMarker] = true;
                return next(connection);
            });
            listener.Options = o;
        });
    }
}
