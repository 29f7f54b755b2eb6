using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>Decodes OTLP/HTTP protobuf bodies (binary <c>ExportTraceServiceRequest</c> / <c>ExportLogsServiceRequest</c>).</summary>
public static class OtlpProtobufReader
{
    public static ExportTraceServiceRequest Read(ReadOnlyMemory<byte> body) => Parse(ExportTraceServiceRequest.Parser, body);

    public static ExportLogsServiceRequest ReadLogs(ReadOnlyMemory<byte> body) => Parse(ExportLogsServiceRequest.Parser, body);

    private static T Parse<T>(MessageParser<T> parser, ReadOnlyMemory<byte> body) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new IngestFormatException($"The body is not a valid OTLP {typeof(T).Name}: {ex.Message}");
        }
    }
}
