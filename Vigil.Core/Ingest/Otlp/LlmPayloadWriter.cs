using System.Text.Json;
using Vigil.Core.Traces;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// Writes a span's input and output in the shape the native SDK records, so that an OTLP span can be replayed
/// like a native one: input <c>{model, messages, temperature, max_tokens, top_p, stop}</c>,
/// output <c>{content, model, finish_reason, tool_calls, usage: {input_tokens, output_tokens}}</c>.
/// Non-LLM spans get their OpenInference <c>input.value</c>/<c>output.value</c> or tool call arguments/result.
/// </summary>
internal static class LlmPayloadWriter
{
    public static bool WriteInput(Utf8JsonWriter w, LlmAttributes a, List<ChatMessage> messages, string kind)
    {
        var isLlm = kind == SpanKind.Llm;
        if (messages.Count == 0 && a.InputValue is { } value)
        {
            // OpenInference LLM spans usually carry the raw provider request as JSON in input.value: already our shape.
            if (IsJsonObject(value)) { w.WriteRawValue(value, skipInputValidation: true); return true; }
            if (isLlm) messages.Add(new ChatMessage("user", value));
            else { WriteObject(w, "value", value); return true; }
        }

        if (messages.Count > 0 || (isLlm && (a.Model is not null || a.Temperature is not null || a.MaxTokens is not null)))
        {
            w.WriteStartObject();
            if ((a.RequestModel ?? a.Model) is { } model) w.WriteString("model", model);
            w.WriteStartArray("messages");
            foreach (var m in messages) WriteMessage(w, m);
            w.WriteEndArray();
            using var invocation = ParseObject(a.InvocationParameters);
            WriteParameter(w, "temperature", a.Temperature, invocation, "temperature");
            WriteParameter(w, "max_tokens", a.MaxTokens, invocation, "max_tokens");
            WriteParameter(w, "top_p", a.TopP, invocation, "top_p");
            WriteParameter(w, "stop", a.StopSequences, invocation, "stop");
            w.WriteEndObject();
            return true;
        }

        if (a.ToolCallArguments is { } args)
        {
            w.WriteStartObject();
            if (a.ToolName is { } name) w.WriteString("name", name);
            w.WritePropertyName("arguments");
            if (IsJsonObject(args) || IsJsonArray(args)) w.WriteRawValue(args, skipInputValidation: true); else w.WriteStringValue(args);
            w.WriteEndObject();
            return true;
        }
        return false;
    }

    public static bool WriteOutput(Utf8JsonWriter w, LlmAttributes a, List<ChatMessage> messages, string kind, long? inputTokens, long? outputTokens)
    {
        var isLlm = kind == SpanKind.Llm;
        if (messages.Count == 0 && a.OutputValue is { } value)
        {
            if (IsJsonObject(value)) { w.WriteRawValue(value, skipInputValidation: true); return true; }
            if (!isLlm) { WriteObject(w, "content", value); return true; }
            messages.Add(new ChatMessage("assistant", value));
        }

        if (messages.Count > 0 || (isLlm && (inputTokens is not null || outputTokens is not null || a.ResponseModel is not null)))
        {
            var first = messages.Count > 0 ? messages[0] : null;
            w.WriteStartObject();
            w.WriteString("content", first?.Content);
            if (a.Model is { } model) w.WriteString("model", model);
            if ((first?.FinishReason ?? FirstString(a.FinishReasons)) is { } finish) w.WriteString("finish_reason", finish);
            if (first?.ToolCallsJson is { } calls) { w.WritePropertyName("tool_calls"); w.WriteRawValue(calls); }
            if (messages.Count > 1)
            {
                // Several choices (n > 1): keep them all; "content" is the first, as the native SDK records it.
                w.WriteStartArray("choices");
                foreach (var m in messages) WriteMessage(w, m);
                w.WriteEndArray();
            }
            if (inputTokens is not null || outputTokens is not null)
            {
                w.WriteStartObject("usage");
                if (inputTokens is { } i) w.WriteNumber("input_tokens", i);
                if (outputTokens is { } o) w.WriteNumber("output_tokens", o);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            return true;
        }

        if (a.ToolCallResult is { } result) { WriteObject(w, "content", result); return true; }
        return false;
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage m)
    {
        w.WriteStartObject();
        w.WriteString("role", m.Role);
        w.WriteString("content", m.Content);
        if (m.ToolCallsJson is { } calls) { w.WritePropertyName("tool_calls"); w.WriteRawValue(calls); }
        if (m.ToolCallId is { } id) w.WriteString("tool_call_id", id);
        w.WriteEndObject();
    }

    /// <summary>A GenAI request attribute wins; OpenInference's <c>llm.invocation_parameters</c> JSON fills the gaps.</summary>
    private static void WriteParameter(Utf8JsonWriter w, string name, Proto.AnyValue? attribute, JsonDocument? invocation, string invocationName)
    {
        if (attribute is not null)
        {
            w.WritePropertyName(name);
            OtlpValueWriter.WriteValue(w, attribute);
        }
        else if (invocation is not null && invocation.RootElement.TryGetProperty(invocationName, out var v))
        {
            w.WritePropertyName(name);
            v.WriteTo(w);
        }
    }

    private static void WriteObject(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString(name, value);
        w.WriteEndObject();
    }

    private static string? FirstString(Proto.AnyValue? v) => v?.ValueCase switch
    {
        Proto.AnyValue.ValueOneofCase.ArrayValue when v.ArrayValue.Values.Count > 0 => OtlpValueWriter.AsString(v.ArrayValue.Values[0]),
        Proto.AnyValue.ValueOneofCase.StringValue => v.StringValue,
        _ => null,
    };

    private static JsonDocument? ParseObject(string? json)
    {
        if (json is null || !IsJsonObject(json)) return null;
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }

    /// <summary>Cheap shape check first; the full validation only runs for values that look like JSON objects.</summary>
    private static bool IsJsonObject(string s) => IsJson(s, '{', '}');

    private static bool IsJsonArray(string s) => IsJson(s, '[', ']');

    private static bool IsJson(string s, char open, char close)
    {
        var t = s.AsSpan().Trim();
        if (t.Length < 2 || t[0] != open || t[^1] != close) return false;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(s));
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
