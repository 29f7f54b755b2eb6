using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>
/// Adds the OTLP/gRPC endpoint to Kestrel: HTTP/2 only (h2c, what gRPC clients speak without TLS), its connections marked
/// so that the endpoint serves gRPC and nothing else; and the hosting URLs beside it (<see cref="HostingUrls"/>).
/// In-memory test servers never read Kestrel's options, so this changes nothing there.
/// </summary>
internal sealed class OtlpGrpcKestrelSetup(IConfiguration configuration, IOptions<OtlpGrpcOptions> options, OtlpGrpcListener listener)
    : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var endpoint = options.Value.GrpcEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        foreach (var url in HostingUrls.Moved(configuration)) HostingUrls.Listen(kestrel, url, _ => { });
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
