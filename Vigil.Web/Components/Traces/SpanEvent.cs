namespace Vigil.Web.Components.Traces;

/// <summary>An event recorded on a span, with its offset from the span's start for the timeline.</summary>
public sealed record SpanEvent(string Name, DateTime? Timestamp, double? OffsetMs, string? AttributesJson);
