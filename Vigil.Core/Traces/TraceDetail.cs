namespace Vigil.Core.Traces;

public sealed record TraceDetail(TraceRecord Trace, IReadOnlyList<SpanRecord> Spans);
