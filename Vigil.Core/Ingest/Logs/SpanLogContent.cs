using System.Buffers;
using System.Text;
using System.Text.Json;
using Vigil.Core.Ingest.Otlp;

namespace Vigil.Core.Ingest.Logs;

/// <summary>
/// What the log records of one span contributed, accumulated over export requests: input messages (system, user,
/// assistant and tool message events), output messages (choices), request parameters (from the operation details
/// event) and the other records as span events. A record sent twice (an exporter retry) is kept once.
/// </summary>
internal sealed class SpanLogContent
{
    public List<LoggedMessage> Input { get; } = [];
    public List<LoggedMessage> Output { get; } = [];

    /// <summary>Request parameters by input field name (<c>model</c>, <c>temperature</c>, <c>max_tokens</c>, <c>top_p</c>, <c>stop</c>) as raw JSON.</summary>
    public SortedDictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Other records as span events, each <c>{name, timestamp, attributes}</c> as raw JSON.</summary>
    public List<string> Events { get; } = [];

    public bool IsEmpty => Input.Count == 0 && Output.Count == 0 && Parameters.Count == 0 && Events.Count == 0;

    /// <summary>Adds what a later request said: messages and events not already here are appended; parameters are overwritten.</summary>
    public void Add(SpanLogContent later)
    {
        foreach (var m in later.Input) if (!Input.Contains(m)) Input.Add(m);
        foreach (var m in later.Output) if (!Output.Contains(m)) Output.Add(m);
        foreach (var (k, v) in later.Parameters) Parameters[k] = v;
        foreach (var e in later.Events) if (!Events.Contains(e)) Events.Add(e);
    }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, OtlpMapper.WriterOptions))
        {
            w.WriteStartObject();
            WriteMessages(w, "input", Input);
            WriteMessages(w, "output", Output);
            w.WriteStartObject("parameters");
            foreach (var (k, v) in Parameters) { w.WritePropertyName(k); w.WriteRawValue(v, skipInputValidation: true); }
            w.WriteEndObject();
            w.WriteStartArray("events");
            foreach (var e in Events) w.WriteRawValue(e, skipInputValidation: true);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static SpanLogContent FromJson(string json)
    {
        var content = new SpanLogContent();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        ReadMessages(root, "input", content.Input);
        ReadMessages(root, "output", content.Output);
        if (root.TryGetProperty("parameters", out var parameters))
            foreach (var p in parameters.EnumerateObject()) content.Parameters[p.Name] = p.Value.GetRawText();
        if (root.TryGetProperty("events", out var events))
            foreach (var e in events.EnumerateArray()) content.Events.Add(e.GetRawText());
        return content;
    }

    private static void WriteMessages(Utf8JsonWriter w, string name, List<LoggedMessage> messages)
    {
        w.WriteStartArray(name);
        foreach (var (m, time) in messages)
        {
            w.WriteStartObject();
            w.WriteString("role", m.Role);
            w.WriteString("content", m.Content);
            if (m.ToolCallsJson is { } calls) { w.WritePropertyName("tool_calls"); w.WriteRawValue(calls, skipInputValidation: true); }
            if (m.ToolCallId is { } id) w.WriteString("tool_call_id", id);
            if (m.FinishReason is { } finish) w.WriteString("finish_reason", finish);
            w.WriteNumber("time_unix_nano", time);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void ReadMessages(JsonElement root, string name, List<LoggedMessage> into)
    {
        if (!root.TryGetProperty(name, out var array)) return;
        foreach (var m in array.EnumerateArray())
        {
            into.Add(new LoggedMessage(new ChatMessage(
                Str(m, "role") ?? "user",
                Str(m, "content"),
                m.TryGetProperty("tool_calls", out var calls) ? calls.GetRawText() : null,
                Str(m, "tool_call_id"),
                Str(m, "finish_reason")), m.GetProperty("time_unix_nano").GetUInt64()));
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
