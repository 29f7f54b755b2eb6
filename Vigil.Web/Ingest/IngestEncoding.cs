namespace Vigil.Web.Ingest;

/// <summary>The three encodings POST /v1/traces accepts (DESIGN.md "Ingest").</summary>
public enum IngestEncoding
{
    /// <summary><c>application/json</c> with a top-level <c>spans</c> array.</summary>
    Native,
    /// <summary><c>application/json</c> with a top-level <c>resourceSpans</c> array (OTLP/HTTP JSON).</summary>
    OtlpJson,
    /// <summary><c>application/x-protobuf</c> (OTLP/HTTP binary protobuf).</summary>
    OtlpProtobuf,
}
