using Google.Protobuf;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Tests.Ingest.Otlp;

public sealed class OtlpProtobufReaderTests
{
    [Fact]
    public void Decodes_what_the_JSON_reader_read_after_a_protobuf_round_trip()
    {
        var fromJson = OtlpJsonReader.Read(Fixtures.Bytes("otlp/spec-example.json"), new IngestOptions());
        var decoded = OtlpProtobufReader.Read(fromJson.ToByteArray());
        Assert.Equal(fromJson, decoded);
    }

    [Fact]
    public void Field_numbers_match_the_OTLP_wire_format()
    {
        // Hand-encoded: ExportTraceServiceRequest{resource_spans(1){scope_spans(2){spans(2){trace_id(1), span_id(2), name(5), start(7, fixed64)}}}}
        byte[] span = [0x0A, 16, .. Enumerable.Range(1, 16).Select(i => (byte)i), 0x12, 8, .. Enumerable.Range(1, 8).Select(i => (byte)i),
            0x2A, 1, (byte)'x', 0x39, 1, 0, 0, 0, 0, 0, 0, 0];
        byte[] scope = [0x12, (byte)span.Length, .. span];
        byte[] resource = [0x12, (byte)scope.Length, .. scope];
        byte[] request = [0x0A, (byte)resource.Length, .. resource];

        var s = OtlpProtobufReader.Read(request).ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("0102030405060708090a0b0c0d0e0f10", OtlpIds.ToHex(s.TraceId, 16));
        Assert.Equal("0102030405060708", OtlpIds.ToHex(s.SpanId, 8));
        Assert.Equal("x", s.Name);
        Assert.Equal(1UL, s.StartTimeUnixNano);
    }

    [Fact]
    public void Garbage_is_a_format_error()
    {
        Assert.Throws<IngestFormatException>(() => OtlpProtobufReader.Read(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1 }));
    }
}
