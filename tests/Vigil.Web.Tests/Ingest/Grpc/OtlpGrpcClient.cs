using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Web.Tests.Ingest.Grpc;

/// <summary>A plain gRPC client (Grpc.Net.Client) for the two OTLP services, with metadata and compression under the test's control.</summary>
internal sealed class OtlpGrpcClient(Uri address) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address);

    private static readonly Method<ExportTraceServiceRequest, ExportTraceServiceResponse> Traces = new(
        MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
        Marshallers.Create(m => m.ToByteArray(), ExportTraceServiceRequest.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), ExportTraceServiceResponse.Parser.ParseFrom));

    private static readonly Method<ExportLogsServiceRequest, ExportLogsServiceResponse> Logs = new(
        MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export",
        Marshallers.Create(m => m.ToByteArray(), ExportLogsServiceRequest.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), ExportLogsServiceResponse.Parser.ParseFrom));

    public Task<ExportTraceServiceResponse> ExportAsync(ExportTraceServiceRequest request, string? apiKey = Infrastructure.VigilWebFactory.ApiKey, bool gzip = false) =>
        ExportAsync(request, Headers(apiKey, gzip));

    public Task<ExportTraceServiceResponse> ExportAsync(ExportTraceServiceRequest request, Metadata headers) =>
        _channel.CreateCallInvoker().AsyncUnaryCall(Traces, null, Options(headers), request).ResponseAsync;

    public Task<ExportLogsServiceResponse> ExportAsync(ExportLogsServiceRequest request, string? apiKey = Infrastructure.VigilWebFactory.ApiKey, bool gzip = false) =>
        _channel.CreateCallInvoker().AsyncUnaryCall(Logs, null, Options(Headers(apiKey, gzip)), request).ResponseAsync;

    private static Metadata Headers(string? apiKey, bool gzip)
    {
        var headers = new Metadata();
        if (apiKey is not null) headers.Add("x-api-key", apiKey);
        // Grpc.Net.Client's way to compress one call's request message.
        if (gzip) headers.Add("grpc-internal-encoding-request", "gzip");
        return headers;
    }

    private static CallOptions Options(Metadata headers) => new(headers, deadline: DateTime.UtcNow.AddSeconds(30));

    public void Dispose() => _channel.Dispose();
}
