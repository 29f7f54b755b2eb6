using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Web.Tests.Ingest;

/// <summary>Helpers to post OTLP bodies the way exporters do.</summary>
internal static class OtlpHttp
{
    public static ByteArrayContent Protobuf(IMessage request) => Content(request.ToByteArray(), "application/x-protobuf");

    public static ByteArrayContent Json(string json) => Content(System.Text.Encoding.UTF8.GetBytes(json), "application/json");

    public static ByteArrayContent Content(byte[] body, string mediaType, bool gzip = false)
    {
        var content = new ByteArrayContent(gzip ? Gzip(body) : body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (gzip) content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    public static byte[] Gzip(byte[] body)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(body);
        return ms.ToArray();
    }

    public static async Task<ExportTraceServiceResponse> ReadProtobufAsync(HttpResponseMessage response) =>
        ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());

    public static Span Span(string traceHex, string spanHex, string name, string? parentHex = null) => new()
    {
        TraceId = ByteString.CopyFrom(Convert.FromHexString(traceHex)),
        SpanId = ByteString.CopyFrom(Convert.FromHexString(spanHex)),
        ParentSpanId = parentHex is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(parentHex)),
        Name = name,
        StartTimeUnixNano = 1_767_225_600_000_000_000,
        EndTimeUnixNano = 1_767_225_600_500_000_000,
    };

    public static ExportTraceServiceRequest Request(params Span[] spans) => new()
    {
        ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { spans } } } } },
    };
}
