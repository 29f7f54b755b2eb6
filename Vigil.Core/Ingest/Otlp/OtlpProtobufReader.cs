using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>Decodes an OTLP/HTTP protobuf body (binary <c>ExportTraceServiceRequest</c>).</summary>
public static class OtlpProtobufReader
{
    public static ExportTraceServiceRequest Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            return ExportTraceServiceRequest.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new IngestFormatException($"The body is not a valid OTLP ExportTraceServiceRequest: {ex.Message}");
        }
    }
}
