using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>The OTLP/gRPC endpoint as Kestrel bound it: for the start-up banner, and for tests that bind port 0.</summary>
public sealed class OtlpGrpcListener
{
    /// <summary>Set on the connections of the gRPC endpoint, so that only gRPC is served there.</summary>
    internal const string ConnectionMarker = "vigil.otlp-grpc";

    internal ListenOptions? Options { get; set; }

    /// <summary>http://host:port of the gRPC endpoint once the server listens (the real port when 0 was configured); null when disabled.</summary>
    public Uri? Address => Options?.IPEndPoint is { } ep
        ? new Uri($"http://{(ep.Address.Equals(System.Net.IPAddress.Any) || ep.Address.Equals(System.Net.IPAddress.IPv6Any) ? "localhost" : ep.Address.ToString().Contains(':') ? $"[{ep.Address}]" : ep.Address.ToString())}:{ep.Port}")
        : null;
}
