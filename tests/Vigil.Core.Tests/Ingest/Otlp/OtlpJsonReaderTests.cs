using System.Text;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Tests.Ingest.Otlp;

public sealed class OtlpJsonReaderTests
{
    private static readonly IngestOptions Limits = new();

    [Fact]
    public void Reads_the_spec_example_shape()
    {
        var request = OtlpJsonReader.Read(Fixtures.Bytes("otlp/spec-example.json"), Limits);

        var rs = Assert.Single(request.ResourceSpans);
        Assert.Equal("my.service", rs.Resource.Attributes[0].Value.StringValue);
        var ss = Assert.Single(rs.ScopeSpans);
        Assert.Equal("my.library", ss.Scope.Name);
        Assert.Equal("1.0.0", ss.Scope.Version);
        Assert.Equal(2, ss.Spans.Count);

        var span = ss.Spans[0];
        // Hex ids (upper-case accepted), not base64.
        Assert.Equal(Convert.FromHexString("5B8EFFF798038103D269B633813FC60C"), span.TraceId.ToByteArray());
        Assert.Equal(Convert.FromHexString("EEE19B7EC3C1B174"), span.SpanId.ToByteArray());
        Assert.Equal(Convert.FromHexString("EEE19B7EC3C1B173"), span.ParentSpanId.ToByteArray());
        Assert.Equal(1544712660000000000UL, span.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, span.EndTimeUnixNano);
        Assert.Equal(Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("server error", span.Status.Message);
        Assert.Equal(500, span.Attributes[1].Value.IntValue);
        Assert.Equal(0.25, span.Attributes[2].Value.DoubleValue);
        Assert.False(span.Attributes[3].Value.BoolValue);
        Assert.Equal(2, span.Attributes[4].Value.ArrayValue.Values[1].IntValue);
        Assert.Equal("v", span.Attributes[5].Value.KvlistValue.Values[0].Value.StringValue);
        Assert.Equal("exception", Assert.Single(span.Events).Name);

        // 64-bit integers as JSON numbers are accepted too.
        Assert.Equal(1544712659000000000UL, ss.Spans[1].StartTimeUnixNano);
    }

    [Fact]
    public void Accepts_snake_case_keys_and_enum_names()
    {
        const string json = """
            {"resource_spans":[{"scope_spans":[{"spans":[{
              "trace_id":"0102030405060708090a0b0c0d0e0f10","span_id":"0102030405060708","name":"s",
              "start_time_unix_nano":"10","kind":"SPAN_KIND_CLIENT","status":{"code":"STATUS_CODE_ERROR"},
              "unknownField":{"ignored":true}}]}]}]}
            """;
        var span = OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json), Limits).ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal(16, span.TraceId.Length);
        Assert.Equal(10UL, span.StartTimeUnixNano);
        Assert.Equal(Span.Types.SpanKind.Client, span.Kind);
        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
    }

    [Fact]
    public void A_malformed_hex_id_becomes_an_empty_id_for_the_mapper_to_reject()
    {
        const string json = """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"0102030405060708","name":"s"}]}]}]}""";
        var span = OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json), Limits).ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.True(span.TraceId.IsEmpty);
    }

    [Fact]
    public void Base64_ids_from_generic_protobuf_JSON_encoders_are_accepted()
    {
        var json = $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{Convert.ToBase64String(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray())}}","spanId":"{{Convert.ToBase64String(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })}}","name":"s"}]}]}]}""";
        var span = OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json), Limits).ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("0102030405060708090a0b0c0d0e0f10", OtlpIds.ToHex(span.TraceId, 16));
        Assert.Equal("0102030405060708", OtlpIds.ToHex(span.SpanId, 8));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"resourceSpans":{}}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":42}]}]}]}""")]
    public void An_undecodable_body_is_a_format_error(string json)
    {
        Assert.Throws<IngestFormatException>(() => OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json), Limits));
    }

    [Fact]
    public void Deep_nesting_names_the_limit()
    {
        var deep = new StringBuilder("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":""");
        for (var i = 0; i < 40; i++) deep.Append("""{"arrayValue":{"values":[""");
        deep.Append("{}");
        for (var i = 0; i < 40; i++) deep.Append("]}}");
        deep.Append("}]}]}]}]}");
        var ex = Assert.Throws<IngestFormatException>(() => OtlpJsonReader.Read(Encoding.UTF8.GetBytes(deep.ToString()), Limits));
        Assert.Equal("Vigil:Ingest:MaxJsonDepth", ex.Limit);
    }
}
