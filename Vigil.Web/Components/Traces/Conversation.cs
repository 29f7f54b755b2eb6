using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Web.Components.Traces;

/// <summary>
/// Reads the chat conventions the Python SDK's OpenAI and Anthropic integrations (and OTLP gen_ai) record into
/// a list of messages: <c>input.system</c>, <c>input.messages [{role, content}]</c> with content as a string or as parts
/// (<c>text</c>, <c>tool_use</c>, <c>tool_result</c>), OpenAI <c>tool_calls</c>, and the reply in <c>output.content</c>,
/// <c>output.choices[].message</c> or <c>output.message</c>. Plain data: the component renders the text encoded.
/// </summary>
public sealed record Conversation(IReadOnlyList<ChatMessage> Input, IReadOnlyList<ChatMessage> Output)
{
    public static readonly Conversation Empty = new([], []);

    /// <summary>Indented, and without \uXXXX escapes: the text is shown to people and Razor encodes it for HTML anyway.</summary>
    internal static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool IsEmpty => Input.Count == 0 && Output.Count == 0;

    public static Conversation From(string? inputJson, string? outputJson) =>
        new(ReadInput(Parse(inputJson)), ReadOutput(Parse(outputJson)));

    public static JsonNode? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return null; }
    }

    private static List<ChatMessage> ReadInput(JsonNode? input)
    {
        var messages = new List<ChatMessage>();
        if (input is not JsonObject o) return messages;
        if (o["system"] is { } system && ReadContent(system) is { Count: > 0 } sys) messages.Add(new ChatMessage("system", sys));
        if (o["messages"] is JsonArray array)
        {
            foreach (var m in array)
                if (ReadMessage(m, "user") is { } msg) messages.Add(msg);
        }
        else if (o["prompt"] is JsonValue prompt && prompt.TryGetValue<string>(out var text))
        {
            messages.Add(new ChatMessage("user", [new TextPart(text)]));
        }
        return messages;
    }

    private static List<ChatMessage> ReadOutput(JsonNode? output)
    {
        var messages = new List<ChatMessage>();
        switch (output)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                messages.Add(new ChatMessage("assistant", [new TextPart(s)]));
                break;
            case JsonObject o when o["choices"] is JsonArray choices:
                foreach (var c in choices)
                    if (ReadMessage(c?["message"] ?? c?["delta"], "assistant") is { } msg) messages.Add(msg);
                break;
            case JsonObject o when o["message"] is JsonObject m:
                if (ReadMessage(m, "assistant") is { } one) messages.Add(one);
                break;
            case JsonObject o when o["messages"] is JsonArray array:
                foreach (var m in array)
                    if (ReadMessage(m, "assistant") is { } msg) messages.Add(msg);
                break;
            case JsonObject o when o.ContainsKey("content") || o.ContainsKey("tool_calls"):
                if (ReadMessage(o, "assistant") is { } reply) messages.Add(reply);
                break;
        }
        return messages;
    }

    private static ChatMessage? ReadMessage(JsonNode? node, string defaultRole)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return new ChatMessage(defaultRole, [new TextPart(s)]);
        if (node is not JsonObject m) return null;
        var role = Str(m["role"]) ?? defaultRole;
        var parts = m["content"] is { } content ? ReadContent(content) : [];
        if (m["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                var fn = call?["function"];
                parts.Add(new ToolCallPart(Str(call?["id"]), Str(fn?["name"]) ?? Str(call?["name"]) ?? "tool", Args(fn?["arguments"] ?? call?["arguments"])));
            }
        }
        // OpenAI's legacy single function_call.
        if (m["function_call"] is JsonObject fc) parts.Add(new ToolCallPart(null, Str(fc["name"]) ?? "function", Args(fc["arguments"])));
        // A tool-role message (OpenAI) is the result of the call it names.
        if (role == "tool" && Str(m["tool_call_id"]) is { } callId && parts is [TextPart only])
            parts = [new ToolResultPart(callId, only.Text, false)];
        if (parts.Count == 0) return null;
        return new ChatMessage(role, parts, Str(m["name"]));
    }

    private static List<ChatPart> ReadContent(JsonNode content)
    {
        var parts = new List<ChatPart>();
        switch (content)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (s.Length > 0) parts.Add(new TextPart(s));
                break;
            case JsonArray blocks:
                foreach (var block in blocks) parts.Add(ReadPart(block));
                break;
            case JsonObject o:
                parts.Add(ReadPart(o));
                break;
            default:
                parts.Add(new TextPart(content.ToJsonString()));
                break;
        }
        return parts;
    }

    private static ChatPart ReadPart(JsonNode? block)
    {
        if (block is JsonValue v && v.TryGetValue<string>(out var s)) return new TextPart(s);
        if (block is not JsonObject b) return new OtherPart("value", block?.ToJsonString() ?? "null");
        var type = Str(b["type"]);
        switch (type)
        {
            case "text" or "input_text" or "output_text" or null when Str(b["text"]) is { } text:
                return new TextPart(text);
            case "text" when Str(b["content"]) is { } otelText: // OTLP gen_ai parts carry `content`
                return new TextPart(otelText);
            case "tool_use" or "tool_call" or "function_call":
                return new ToolCallPart(Str(b["id"]), Str(b["name"]) ?? "tool", Args(b["input"] ?? b["arguments"]));
            case "tool_result" or "tool_call_response":
                var result = b["content"] ?? b["response"] ?? b["result"];
                var text2 = result switch
                {
                    null => "",
                    JsonValue rv when rv.TryGetValue<string>(out var rs) => rs,
                    _ => string.Join("\n", ReadContent(result).Select(p => p switch { TextPart t => t.Text, OtherPart o => o.Json, _ => "" })),
                };
                return new ToolResultPart(Str(b["tool_use_id"]) ?? Str(b["id"]), text2, b["is_error"] is JsonValue e && e.TryGetValue<bool>(out var err) && err);
            default:
                return new OtherPart(type ?? "object", b.ToJsonString(Pretty));
        }
    }

    /// <summary>Tool arguments come as a JSON string (OpenAI) or an object (Anthropic): show both as indented JSON.</summary>
    private static string Args(JsonNode? args)
    {
        if (args is null) return "{}";
        if (args is JsonValue v && v.TryGetValue<string>(out var s))
        {
            try { return JsonNode.Parse(s)?.ToJsonString(Pretty) ?? s; }
            catch (JsonException) { return s; }
        }
        return args.ToJsonString(Pretty);
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
