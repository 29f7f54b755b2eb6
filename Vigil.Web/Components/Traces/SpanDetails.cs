using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>The parsed payloads of one span, computed once when it is selected in the inspector.</summary>
public sealed class SpanDetails
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

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

    public static string PrettyJson(JsonNode? node) => node?.ToJsonString(Pretty) ?? "null";

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
            var attrs = o["attributes"] is JsonObject a && a.Count > 0 ? a.ToJsonString(Pretty) : null;
            list.Add(new SpanEvent(name, ts, offset, attrs));
        }
        return list;
    }

    private static SpanError? ReadError(JsonNode? metadata, IReadOnlyList<SpanEvent> events, SpanRecord span)
    {
        var err = metadata?["error"];
        switch (err)
        {
            case JsonValue v when v.TryGetValue<string>(out var msg):
                return new SpanError(null, msg, Str(metadata?["stacktrace"] ?? metadata?["stack"] ?? metadata?["traceback"]));
            case JsonObject o:
                return new SpanError(Str(o["type"]), Str(o["message"]) ?? o.ToJsonString(), Str(o["stack"] ?? o["stacktrace"] ?? o["traceback"]));
        }
        foreach (var e in events)
        {
            if (e.Name != "exception" || Conversation.Parse(e.AttributesJson) is not JsonObject a) continue;
            var message = Str(a["exception.message"]);
            var type = Str(a["exception.type"]);
            if (message is null && type is null) continue;
            return new SpanError(type, message ?? type!, Str(a["exception.stacktrace"]));
        }
        return span.Status == SpanStatus.Error ? new SpanError(null, "The span ended with status error (no message recorded).", null) : null;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
