using Microsoft.AspNetCore.Http;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>Bound from <c>Vigil:Otlp</c>.</summary>
public sealed class OtlpGrpcOptions
{
    public const string Section = "Vigil:Otlp";

    /// <summary>
    /// Where OTLP/gRPC (TraceService and LogsService) listens: its own HTTP/2 cleartext endpoint, the port OpenTelemetry
    /// SDKs and the Collector export to by default. Empty disables it.
    /// </summary>
    public string? GrpcEndpoint { get; set; } = "http://localhost:4317";

    public bool Enabled => !string.IsNullOrWhiteSpace(GrpcEndpoint);

    public IEnumerable<string> Validate()
    {
        if (!Enabled) yield break;
        BindingAddress? address = null;
        string? error = null;
        try { address = BindingAddress.Parse(GrpcEndpoint!); }
        catch (FormatException ex) { error = ex.Message; }
        if (address is null || address.IsUnixPipe || address.IsNamedPipe || address.Scheme != "http" || address.Port < 0)
            yield return $"Vigil:Otlp:GrpcEndpoint '{GrpcEndpoint}' must be an http:// address with a port (HTTP/2 without TLS), e.g. http://localhost:4317, or empty to disable OTLP/gRPC{(error is null ? "" : $": {error}")}.";
    }
}
