using Grpc.Core;
using Grpc.Net.Client;

namespace Vigil.Bench.Ingest;

/// <summary>
/// Sends pre-encoded ExportTraceServiceRequest bytes over OTLP/gRPC (TraceService/Export), as an exporter's gRPC
/// transport does: the same bytes as the OTLP/HTTP scenario, so the two differ only in the transport.
/// </summary>
internal sealed class GrpcTraceSender : IDisposable
{
    private static readonly Method<byte[], byte[]> Export = new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
        Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly Metadata _headers;

    public GrpcTraceSender(string url, string key)
    {
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxSendMessageSize = null, HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        _invoker = _channel.CreateCallInvoker();
        _headers = new Metadata { { "x-api-key", key } };
    }

    public async Task<bool> SendAsync(byte[] request)
    {
        try
        {
            await _invoker.AsyncUnaryCall(Export, null, new CallOptions(_headers), request);
            return true;
        }
        catch (RpcException ex)
        {
            Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
            return false;
        }
    }

    public void Dispose() => _channel.Dispose();
}
