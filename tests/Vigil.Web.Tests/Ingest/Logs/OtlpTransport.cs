using System.Net;
using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Tests.Infrastructure;
using Vigil.Web.Tests.Ingest.Grpc;

namespace Vigil.Web.Tests.Ingest.Logs;

public enum Transport { HttpProtobuf, HttpJson, Grpc }

/// <summary>Sends an OTLP request over one of the three transports and answers the partial success (rejected count, message).</summary>
internal static class OtlpTransport
{
    public static async Task<(long Rejected, string Message)> SendAsync(GrpcVigilFactory factory, Transport transport, ExportTraceServiceRequest request)
    {
        if (transport == Transport.Grpc)
        {
            using var grpc = new OtlpGrpcClient(factory.GrpcAddress);
            var r = await grpc.ExportAsync(request);
            return (r.PartialSuccess?.RejectedSpans ?? 0, r.PartialSuccess?.ErrorMessage ?? "");
        }
        var body = await PostAsync(factory, "/v1/traces", transport, request);
        var response = transport == Transport.HttpJson ? ExportTraceServiceResponse.Parser.ParseJson(body) : ExportTraceServiceResponse.Parser.ParseFrom(Convert.FromBase64String(body));
        return (response.PartialSuccess?.RejectedSpans ?? 0, response.PartialSuccess?.ErrorMessage ?? "");
    }

    public static async Task<(long Rejected, string Message)> SendAsync(GrpcVigilFactory factory, Transport transport, ExportLogsServiceRequest request)
    {
        if (transport == Transport.Grpc)
        {
            using var grpc = new OtlpGrpcClient(factory.GrpcAddress);
            var r = await grpc.ExportAsync(request);
            return (r.PartialSuccess?.RejectedLogRecords ?? 0, r.PartialSuccess?.ErrorMessage ?? "");
        }
        var body = await PostAsync(factory, "/v1/logs", transport, request);
        var response = transport == Transport.HttpJson ? ExportLogsServiceResponse.Parser.ParseJson(body) : ExportLogsServiceResponse.Parser.ParseFrom(Convert.FromBase64String(body));
        return (response.PartialSuccess?.RejectedLogRecords ?? 0, response.PartialSuccess?.ErrorMessage ?? "");
    }

    /// <summary>The response body: JSON text, or base64 of the protobuf bytes.</summary>
    private static async Task<string> PostAsync(GrpcVigilFactory factory, string path, Transport transport, IMessage request)
    {
        var content = transport == Transport.HttpJson ? OtlpHttp.Json(OtlpJson.From(request)) : OtlpHttp.Protobuf(request);
        var response = await factory.ClientWithKey(VigilWebFactory.ApiKey).PostAsync(path, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return transport == Transport.HttpJson
            ? await response.Content.ReadAsStringAsync()
            : Convert.ToBase64String(await response.Content.ReadAsByteArrayAsync());
    }
}
