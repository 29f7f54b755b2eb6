namespace Vigil.Core.Ingest.Logs;

/// <summary>
/// An OTLP logs request read per span: what its records said about each span (in order of first appearance), and the
/// records that were rejected (no span context, over a limit) with why.
/// </summary>
internal sealed class SpanLogBatch
{
    public List<(string TraceId, string SpanId)> Order { get; } = [];
    public Dictionary<(string TraceId, string SpanId), SpanLogContent> Spans { get; } = [];
    public int Records { get; set; }
    public int Rejected { get; set; }
    public List<string> Errors { get; } = [];

    public SpanLogContent For(string traceId, string spanId)
    {
        if (!Spans.TryGetValue((traceId, spanId), out var content))
        {
            Spans[(traceId, spanId)] = content = new SpanLogContent();
            Order.Add((traceId, spanId));
        }
        return content;
    }

    public void Reject(string error)
    {
        Rejected++;
        Errors.Add(error);
    }
}
