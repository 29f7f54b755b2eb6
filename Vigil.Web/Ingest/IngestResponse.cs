namespace Vigil.Web.Ingest;

/// <summary>201 body of POST /v1/traces: the first trace, the span count and every trace the batch touched.</summary>
public sealed record IngestResponse(string TraceId, int SpanCount, IReadOnlyList<string> TraceIds);
