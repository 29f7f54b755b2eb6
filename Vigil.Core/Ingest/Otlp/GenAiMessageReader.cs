using System.Buffers;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Collections;
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
    /// The event form: <c>gen_ai.{system|user|assistant|tool}.message</c> and <c>gen_ai.choice</c> events, whose
    /// content is an attribute (<c>content</c>, <c>message</c>) or a JSON body in <c>gen_ai.event.content</c>;
    /// the even older <c>gen_ai.content.prompt</c>/<c>gen_ai.content.completion</c> events; and
    /// <c>gen_ai.client.inference.operation.details</c>, which carries the whole conversation as
    /// <c>gen_ai.input.messages</c>/<c>gen_ai.output.messages</c>. As span events, or as log records whose
    /// <paramref name="body"/> holds the content (OpenTelemetry's GenAI instrumentations send them as logs).
    /// </summary>
    public static bool ReadEvent(string name, RepeatedField<KeyValue> attributes, AnyValue? body, List<ChatMessage> input, List<ChatMessage> output)
    {
        switch (name)
        {
            case "gen_ai.system.message": input.Add(EventMessage(attributes, body, "system")); return true;
            case "gen_ai.user.message": input.Add(EventMessage(attributes, body, "user")); return true;
            case "gen_ai.assistant.message": input.Add(EventMessage(attributes, body, "assistant")); return true;
            case "gen_ai.tool.message": input.Add(EventMessage(attributes, body, "tool")); return true;
            case "gen_ai.choice": output.Add(EventMessage(attributes, body, "assistant")); return true;
            case "gen_ai.content.prompt":
                if (Attribute(attributes, "gen_ai.prompt") is { } prompt) ReadMessages(prompt, input);
                return true;
            case "gen_ai.content.completion":
                if (Attribute(attributes, "gen_ai.completion") is { } completion) ReadMessages(completion, output);
                return true;
            case OperationDetailsEvent:
                var content = Content(attributes, body);
                if (content("gen_ai.system_instructions") is { } system && ReadSystemInstructions(system) is { } instructions) input.Add(instructions);
                if (content("gen_ai.input.messages") is { } inMessages) ReadMessages(inMessages, input);
                if (content("gen_ai.output.messages") is { } outMessages) ReadMessages(outMessages, output);
                return true;
        }
        return false;
    }

    /// <summary>The semantic conventions' event that carries a whole inference call (messages and request parameters).</summary>
    public const string OperationDetailsEvent = "gen_ai.client.inference.operation.details";

    /// <summary>True for the events <see cref="ReadEvent"/> reads into messages.</summary>
    public static bool IsMessageEvent(string name) => name is "gen_ai.system.message" or "gen_ai.user.message" or "gen_ai.assistant.message"
        or "gen_ai.tool.message" or "gen_ai.choice" or "gen_ai.content.prompt" or "gen_ai.content.completion" or OperationDetailsEvent;

    /// <summary>A lookup over the attributes, then over the body's keys when the body is a map (where some SDKs put them).</summary>
    private static Func<string, AnyValue?> Content(RepeatedField<KeyValue> attributes, AnyValue? body) => key =>
        Attribute(attributes, key) ?? (body?.ValueCase == AnyValue.ValueOneofCase.KvlistValue ? Attribute(body.KvlistValue.Values, key) : null);

    private static ChatMessage EventMessage(RepeatedField<KeyValue> attributes, AnyValue? body, string defaultRole)
    {
        string? role = null, content = null, finish = null, toolCallId = null, toolCalls = null;
        foreach (var kv in attributes)
        {
            switch (kv.Key)
            {
                case "role": role = OtlpValueWriter.AsString(kv.Value); break;
                case "content": content = OtlpValueWriter.AsString(kv.Value); break;
                case "id" or "tool_call_id": toolCallId = OtlpValueWriter.AsString(kv.Value); break;
                case "finish_reason": finish = OtlpValueWriter.AsString(kv.Value); break;
                case "message" or "gen_ai.event.content":
                    ReadBody(kv.Value, ref role, ref content, ref toolCallId, ref finish, ref toolCalls);
                    break;
            }
        }
        if (body is not null)
        {
            // A log record's body: {"content": ...} for messages, {"index", "finish_reason", "message": {...}} for choices.
            if (body.ValueCase == AnyValue.ValueOneofCase.StringValue && !LooksLikeJson(body.StringValue)) content ??= body.StringValue;
            else ReadBody(body, ref role, ref content, ref toolCallId, ref finish, ref toolCalls);
        }
        return new ChatMessage(role ?? defaultRole, content, toolCalls, toolCallId, finish);
    }

    private static void ReadBody(AnyValue? value, ref string? role, ref string? content, ref string? toolCallId, ref string? finish, ref string? toolCalls)
    {
        if (value is null) return;
        using var doc = Parse(value);
        if (doc?.RootElement is not { ValueKind: JsonValueKind.Object } body) return;
        var msg = body.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : body;
        try
        {
            content ??= Text(msg);
            role ??= String(msg, "role");
            toolCallId ??= String(msg, "id") ?? String(msg, "tool_call_id");
            finish ??= String(body, "finish_reason");
            if (toolCalls is null && msg.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array) toolCalls = OpenAiToolCalls(calls);
        }
        catch (InvalidOperationException)
        {
            // Not valid Unicode (an escaped lone surrogate): the attribute stays in metadata only.
        }
    }

    /// <summary>
    /// Tool calls in the OpenAI shape replay sends back: <c>[{id, type: "function", function: {name, arguments}}]</c>,
    /// with arguments as a JSON string (OpenTelemetry instrumentations record them as an object or a string).
    /// </summary>
    private static string OpenAiToolCalls(JsonElement calls)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, OtlpMapper.WriterOptions))
        {
            w.WriteStartArray();
            foreach (var call in calls.EnumerateArray())
            {
                if (call.ValueKind != JsonValueKind.Object) continue;
                var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : call;
                WriteToolCall(w, String(call, "id"), String(call, "type"), function);
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary><c>{id, type, function: {name, arguments}}</c>; OpenAI carries arguments as a JSON string, OpenTelemetry as an object.</summary>
    private static void WriteToolCall(Utf8JsonWriter w, string? id, string? type, JsonElement function)
    {
        w.WriteStartObject();
        if (id is not null) w.WriteString("id", id);
        w.WriteString("type", type ?? "function");
        w.WriteStartObject("function");
        w.WriteString("name", String(function, "name") ?? "");
        w.WriteString("arguments", function.TryGetProperty("arguments", out var args)
            ? args.ValueKind == JsonValueKind.String ? args.GetString() : args.GetRawText()
            : "{}");
        w.WriteEndObject();
        w.WriteEndObject();
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
                    WriteToolCall(w, String(p, "id"), null, p);
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

    private static AnyValue? Attribute(RepeatedField<KeyValue> attributes, string key)
    {
        foreach (var kv in attributes) if (kv.Key == key) return kv.Value;
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
