using Microsoft.AspNetCore.Connections.Features;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>Telling gRPC calls apart, and answering one with a gRPC status instead of an HTTP error body.</summary>
internal static class GrpcCalls
{
    public const int PermissionDenied = 7;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static bool OnGrpcEndpoint(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(OtlpGrpcListener.ConnectionMarker) == true;

    /// <summary>A trailers-only gRPC answer (HTTP 200, <c>grpc-status</c> and <c>grpc-message</c> headers, no message).</summary>
    public static Task WriteStatusAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
        http.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return http.Response.CompleteAsync();
    }
}
