using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>The parsed payloads of one span, computed once when it is selected in the inspector.</summary>
public sealed class SpanDetails
{
    private SpanDetails(SpanRecord span)
    {
        Span = span;
        Input = Conversation.Parse(span.Input);
        Output = Conversation.Parse(span.Output);
        Metadata = Conversation.Parse(span.Metadata);
        Chat = Conversation.From(span.Input, span.Output);
        Events = ReadEvents(span);
        Error = ReadError(Metadata, Events, span);
    }

    public SpanRecord Span { get; }
    public JsonNode? Input { get; }
    public JsonNode? Output { get; }
    public JsonNode? Metadata { get; }
    public Conversation Chat { get; }
    public IReadOnlyList<SpanEvent> Events { get; }
    public SpanError? Error { get; }

    public static SpanDetails From(SpanRecord span) => new(span);

    public static string PrettyJson(JsonNode? node) => node?.ToJsonString(Conversation.Pretty) ?? "null";

    private static List<SpanEvent> ReadEvents(SpanRecord span)
    {
        var list = new List<SpanEvent>();
        if (Conversation.Parse(span.Events) is not JsonArray array) return list;
        foreach (var e in array)
        {
            if (e is not JsonObject o) continue;
            var name = o["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : "event";
            DateTime? ts = null;
            if (o["timestamp"] is JsonValue tv && tv.TryGetValue<string>(out var tss)
                && DateTimeOffset.TryParse(tss, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
                ts = dto.UtcDateTime;
            double? offset = ts is { } t ? (UnixMicros.From(new DateTimeOffset(t)) - span.StartTimeUs) / 1000.0 : null;
            var attrs = o["attributes"] is JsonObject a
                ? a.Select(kv => KeyValuePair.Create(kv.Key, Str(kv.Value) ?? kv.Value?.ToJsonString(Conversation.Pretty) ?? "null")).ToList()
                : [];
            list.Add(new SpanEvent(name, ts, offset, attrs));
        }
        return list;
    }

    private static SpanError? ReadError(JsonNode? metadata, IReadOnlyList<SpanEvent> events, SpanRecord span)
    {
        // An OpenTelemetry-style exception event carries type, message and stack; metadata.error (Python SDK) often only a message.
        var exception = events.FirstOrDefault(e => e.Name == "exception" && (e.Attribute("exception.message") ?? e.Attribute("exception.type")) is not null);
        string? evType = exception?.Attribute("exception.type"), evMessage = exception?.Attribute("exception.message"), evStack = exception?.Attribute("exception.stacktrace");
        switch (metadata?["error"])
        {
            case JsonValue v when v.TryGetValue<string>(out var msg):
                return new SpanError(evType, msg, Str(metadata?["stacktrace"] ?? metadata?["stack"] ?? metadata?["traceback"]) ?? evStack);
            case JsonObject o:
                return new SpanError(Str(o["type"]) ?? evType, Str(o["message"]) ?? evMessage ?? o.ToJsonString(), Str(o["stack"] ?? o["stacktrace"] ?? o["traceback"]) ?? evStack);
        }
        if (exception is not null) return new SpanError(evType, evMessage ?? evType!, evStack);
        return span.Status == SpanStatus.Error ? new SpanError(null, "The span ended with status error (no message recorded).", null) : null;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
