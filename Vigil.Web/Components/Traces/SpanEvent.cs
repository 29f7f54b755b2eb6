namespace Vigil.Web.Components.Traces;

/// <summary>An event recorded on a span, with its offset from the span's start for the timeline.</summary>
/// <param name="Attributes">Attribute names and values as text (strings unquoted, other JSON compact).</param>
public sealed record SpanEvent(string Name, DateTime? Timestamp, double? OffsetMs, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    public string? Attribute(string key) => Attributes.FirstOrDefault(a => a.Key == key).Value;
}
