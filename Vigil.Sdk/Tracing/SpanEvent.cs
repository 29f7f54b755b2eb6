namespace Vigil.Sdk.Tracing;

/// <summary>A point-in-time event recorded on a span (retry, first token, exception...).</summary>
public sealed record SpanEvent(string Name, DateTimeOffset Timestamp, IReadOnlyDictionary<string, object?>? Attributes);
