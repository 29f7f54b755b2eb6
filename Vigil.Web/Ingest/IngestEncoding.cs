namespace Vigil.Web.Ingest;

/// <summary>The body encodings the ingest endpoints accept (DESIGN.md "Ingest"), told apart by Content-Type.</summary>
public enum IngestEncoding
{
    /// <summary><c>application/json</c>: OTLP/HTTP JSON, or on <c>/v1/traces</c> the native format when the body has a top-level <c>spans</c>.</summary>
    OtlpJson,
    /// <summary><c>application/x-protobuf</c> (OTLP/HTTP binary protobuf).</summary>
    OtlpProtobuf,
}
