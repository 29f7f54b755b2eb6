using System.Buffers;
using System.Text;
using System.Text.Json;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// Reads chat messages out of the GenAI semantic conventions into <see cref="ChatMessage"/>s:
/// the current form (<c>gen_ai.input.messages</c>/<c>gen_ai.output.messages</c> JSON with typed parts,
/// <c>gen_ai.system_instructions</c>) and the older per-event form (<c>gen_ai.user.message</c>, <c>gen_ai.choice</c>, ...).
/// Content that cannot be read is skipped, never fatal: the span is still stored with the attribute in metadata.
/// </summary>
internal static class GenAiMessageReader
{
    /// <summary><c>[{"role": "user", "parts": [{"type": "text", "content": "..."}], "finish_reason": ...}]</c>.</summary>
    public static void ReadMessages(AnyValue value, List<ChatMessage> into)
    {
        using var doc = Parse(value);
        if (doc is null) return;
        var root = doc.RootElement;
        var count = into.Count;
        try
        {
            if (root.ValueKind == JsonValueKind.Object) { ReadMessage(root, into); return; }
            if (root.ValueKind != JsonValueKind.Array) return;
            foreach (var m in root.EnumerateArray())
                if (m.ValueKind == JsonValueKind.Object) ReadMessage(m, into);
        }
        catch (InvalidOperationException)
        {
            // Text that is valid JSON but not valid Unicode (an escaped lone surrogate): skip these messages.
            into.RemoveRange(count, into.Count - count);
        }
    }

    /// <summary><c>gen_ai.system_instructions</c>: an array of parts, or (leniently) a plain string.</summary>
    public static ChatMessage? ReadSystemInstructions(AnyValue value)
    {
        if (value.ValueCase == AnyValue.ValueOneofCase.StringValue && !LooksLikeJson(value.StringValue))
            return new ChatMessage("system", value.StringValue);
        using var doc = Parse(value);
        if (doc is null) return null;
        var root = doc.RootElement;
        try
        {
            var content = root.ValueKind switch
            {
                JsonValueKind.Array => FlattenParts(root, out _),
                JsonValueKind.Object => root.TryGetProperty("parts", out var parts) ? FlattenParts(parts, out _) : Text(root),
                JsonValueKind.String => root.GetString(),
                _ => null,
            };
            return content is null ? null : new ChatMessage("system", content);
        }
        catch (InvalidOperationException)
        {
            return null; // not valid Unicode: skipped, like any content that cannot be read
        }
    }

    /// <summary>
    /// The older event form: <c>gen_ai.{system|user|assistant|tool}.message</c> and <c>gen_ai.choice</c> events, whose
    /// content is an attribute (<c>content</c>, <c>message</c>) or a JSON body in <c>gen_ai.event.content</c>;
    /// and the even older <c>gen_ai.content.prompt</c>/<c>gen_ai.content.completion</c> events.
    /// </summary>
    public static bool ReadEvent(Span.Types.Event ev, List<ChatMessage> input, List<ChatMessage> output)
    {
        switch (ev.Name)
        {
            case "gen_ai.system.message": input.Add(EventMessage(ev, "system")); return true;
            case "gen_ai.user.message": input.Add(EventMessage(ev, "user")); return true;
            case "gen_ai.assistant.message": input.Add(EventMessage(ev, "assistant")); return true;
            case "gen_ai.tool.message": input.Add(EventMessage(ev, "tool")); return true;
            case "gen_ai.choice": output.Add(EventMessage(ev, "assistant")); return true;
            case "gen_ai.content.prompt":
                if (Attribute(ev, "gen_ai.prompt") is { } prompt) ReadMessages(prompt, input);
                return true;
            case "gen_ai.content.completion":
                if (Attribute(ev, "gen_ai.completion") is { } completion) ReadMessages(completion, output);
                return true;
        }
        return false;
    }

    private static ChatMessage EventMessage(Span.Types.Event ev, string defaultRole)
    {
        string? role = null, content = null, finish = null, toolCallId = null;
        foreach (var kv in ev.Attributes)
        {
            switch (kv.Key)
            {
                case "role": role = OtlpValueWriter.AsString(kv.Value); break;
                case "content": content = OtlpValueWriter.AsString(kv.Value); break;
                case "id" or "tool_call_id": toolCallId = OtlpValueWriter.AsString(kv.Value); break;
                case "finish_reason": finish = OtlpValueWriter.AsString(kv.Value); break;
                case "message" or "gen_ai.event.content":
                    // A JSON body: {"content": ...} for messages, {"message": {...}, "finish_reason": ...} for choices.
                    using (var doc = Parse(kv.Value!))
                    {
                        if (doc?.RootElement is not { ValueKind: JsonValueKind.Object } body) break;
                        var msg = body.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : body;
                        try
                        {
                            content ??= Text(msg);
                            role ??= String(msg, "role");
                            toolCallId ??= String(msg, "id") ?? String(msg, "tool_call_id");
                            finish ??= String(body, "finish_reason");
                        }
                        catch (InvalidOperationException)
                        {
                            // Not valid Unicode: the attribute stays in metadata only.
                        }
                    }
                    break;
            }
        }
        return new ChatMessage(role ?? defaultRole, content, null, toolCallId, finish);
    }

    private static void ReadMessage(JsonElement m, List<ChatMessage> into)
    {
        var role = String(m, "role") ?? "user";
        var finish = String(m, "finish_reason");
        if (m.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            var content = FlattenParts(parts, out var extras);
            into.Add(extras.ToolResponse is not null || extras.ToolResponseId is not null
                ? new ChatMessage(role, content ?? extras.ToolResponse, null, extras.ToolResponseId, finish)
                : new ChatMessage(role, content, extras.ToolCalls, null, finish));
            return;
        }
        // Not the parts form: an OpenAI-style message {role, content, tool_calls, tool_call_id}.
        var toolCalls = m.TryGetProperty("tool_calls", out var tc) && tc.ValueKind == JsonValueKind.Array ? tc.GetRawText() : null;
        into.Add(new ChatMessage(role, Text(m), toolCalls, String(m, "tool_call_id"), finish));
    }

    private readonly record struct PartExtras(string? ToolCalls, string? ToolResponseId, string? ToolResponse);

    /// <summary>Joins text parts; tool_call parts become an OpenAI-style <c>tool_calls</c> array, a tool_call_response the tool message.</summary>
    private static string? FlattenParts(JsonElement parts, out PartExtras extras)
    {
        StringBuilder? text = null;
        ArrayBufferWriter<byte>? calls = null;
        Utf8JsonWriter? w = null;
        string? responseId = null, response = null;
        foreach (var p in parts.EnumerateArray())
        {
            if (p.ValueKind == JsonValueKind.String) { Append(ref text, p.GetString()); continue; }
            if (p.ValueKind != JsonValueKind.Object) continue;
            switch (String(p, "type"))
            {
                case "text" or null:
                    Append(ref text, String(p, "content") ?? String(p, "text"));
                    break;
                case "tool_call":
                    if (w is null) { calls = new ArrayBufferWriter<byte>(); w = new Utf8JsonWriter(calls, OtlpMapper.WriterOptions); w.WriteStartArray(); }
                    w.WriteStartObject();
                    if (String(p, "id") is { } id) w.WriteString("id", id);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", String(p, "name") ?? "");
                    // OpenAI carries arguments as a JSON string; OTel as an object.
                    w.WriteString("arguments", p.TryGetProperty("arguments", out var args)
                        ? args.ValueKind == JsonValueKind.String ? args.GetString() : args.GetRawText()
                        : "{}");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                case "tool_call_response":
                    responseId = String(p, "id");
                    response = p.TryGetProperty("response", out var r) ? r.ValueKind == JsonValueKind.String ? r.GetString() : r.GetRawText() : null;
                    break;
            }
        }
        string? toolCalls = null;
        if (w is not null)
        {
            w.WriteEndArray();
            w.Flush();
            toolCalls = Encoding.UTF8.GetString(calls!.WrittenSpan);
            w.Dispose();
        }
        extras = new PartExtras(toolCalls, responseId, response);
        return text?.ToString();
    }

    private static void Append(ref StringBuilder? sb, string? s)
    {
        if (s is null) return;
        if (sb is null) sb = new StringBuilder(s);
        else sb.Append('\n').Append(s);
    }

    /// <summary>Message text: <c>content</c> as a string, or the text parts of a content array.</summary>
    private static string? Text(JsonElement obj)
    {
        if (!obj.TryGetProperty("content", out var c)) return null;
        return c.ValueKind switch
        {
            JsonValueKind.String => c.GetString(),
            JsonValueKind.Array => FlattenParts(c, out _),
            JsonValueKind.Null => null,
            _ => c.GetRawText(),
        };
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static AnyValue? Attribute(Span.Types.Event ev, string key)
    {
        foreach (var kv in ev.Attributes) if (kv.Key == key) return kv.Value;
        return null;
    }

    private static bool LooksLikeJson(string s)
    {
        var t = s.AsSpan().TrimStart();
        return t.Length > 0 && (t[0] == '[' || t[0] == '{' || t[0] == '"');
    }

    /// <summary>A JSON string attribute is parsed; a structured one (array/kvlist) is first written out as JSON.</summary>
    private static JsonDocument? Parse(AnyValue value)
    {
        try
        {
            switch (value.ValueCase)
            {
                case AnyValue.ValueOneofCase.StringValue:
                    return LooksLikeJson(value.StringValue) ? JsonDocument.Parse(value.StringValue) : null;
                case AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue:
                    var buffer = new ArrayBufferWriter<byte>();
                    using (var w = new Utf8JsonWriter(buffer)) OtlpValueWriter.WriteValue(w, value);
                    return JsonDocument.Parse(buffer.WrittenMemory);
                default:
                    return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
