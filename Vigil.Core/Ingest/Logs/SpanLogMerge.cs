using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Traces;

namespace Vigil.Core.Ingest.Logs;

/// <summary>
/// Folds what log records said into a stored span: the span keeps what its own attributes recorded, and the logs bring
/// the conversation. The rule (also in README "OTLP logs"):
/// <list type="bullet">
/// <item><b>input</b>: the span's input object is kept; <c>messages</c> becomes the messages of the input events (system,
/// user, assistant, tool, in the order they were logged); request parameters (<c>model</c>, <c>temperature</c>,
/// <c>max_tokens</c>, <c>top_p</c>, <c>stop</c>) stay the span attributes' and come from the operation details event only
/// where the span has none.</item>
/// <item><b>output</b>: the span's output object is kept (<c>model</c>, <c>usage</c>); <c>content</c>, <c>finish_reason</c> and
/// <c>tool_calls</c> become the first choice's, and all choices are listed under <c>choices</c> when there are several.</item>
/// <item><b>events</b>: every other record is appended to the span's events (once).</item>
/// <item>The typed columns (model, tokens, cost) are the span's own and never change.</item>
/// </list>
/// Folding the same content twice changes nothing, so it is safe to fold again whenever the span or more logs arrive.
/// </summary>
internal static class SpanLogMerge
{
    /// <summary>True when the span changed. A field that would grow past <paramref name="maxFieldBytes"/> is left as it was.</summary>
    public static bool Apply(SpanRecord span, SpanLogContent content, int maxFieldBytes)
    {
        var changed = false;
        if (content.Input.Count > 0 || content.Parameters.Count > 0) changed |= Set(span.Input, MergeInput(span, content), maxFieldBytes, v => span.Input = v);
        if (content.Output.Count > 0) changed |= Set(span.Output, MergeOutput(span, content), maxFieldBytes, v => span.Output = v);
        if (content.Events.Count > 0) changed |= Set(span.Events, MergeEvents(span.Events, content), maxFieldBytes, v => span.Events = v);
        return changed;
    }

    private static JsonObject MergeInput(SpanRecord span, SpanLogContent content)
    {
        var input = AsObject(span.Input);
        if (content.Input.Count > 0)
        {
            var messages = new JsonArray();
            foreach (var (m, _) in content.Input) messages.Add(Message(m));
            input["messages"] = messages;
        }
        foreach (var (name, json) in content.Parameters)
            if (input[name] is null) input[name] = JsonNode.Parse(json);
        if (input["model"] is null && span.Model is { } model && input["messages"] is not null) input["model"] = model;
        return input;
    }

    private static JsonObject MergeOutput(SpanRecord span, SpanLogContent content)
    {
        var output = AsObject(span.Output);
        var first = content.Output[0].Message;
        output["content"] = first.Content;
        if (first.FinishReason is { } finish) output["finish_reason"] = finish;
        if (first.ToolCallsJson is { } calls) output["tool_calls"] = JsonNode.Parse(calls);
        if (content.Output.Count > 1)
        {
            var choices = new JsonArray();
            foreach (var (m, _) in content.Output) choices.Add(Message(m));
            output["choices"] = choices;
        }
        if (output["model"] is null && span.Model is { } model) output["model"] = model;
        if (output["usage"] is null && (span.InputTokens is not null || span.OutputTokens is not null))
            output["usage"] = new JsonObject { ["input_tokens"] = span.InputTokens, ["output_tokens"] = span.OutputTokens };
        return output;
    }

    private static JsonArray MergeEvents(string? stored, SpanLogContent content)
    {
        var events = (stored is null ? null : JsonNode.Parse(stored) as JsonArray) ?? [];
        foreach (var json in content.Events)
        {
            var ev = JsonNode.Parse(json)!;
            if (!events.Any(e => JsonNode.DeepEquals(e, ev))) events.Add(ev);
        }
        return events;
    }

    /// <summary>A message in the shape replay sends: <c>{role, content, tool_calls?, tool_call_id?}</c>.</summary>
    private static JsonObject Message(ChatMessage m)
    {
        var o = new JsonObject { ["role"] = m.Role, ["content"] = m.Content };
        if (m.ToolCallsJson is { } calls) o["tool_calls"] = JsonNode.Parse(calls);
        if (m.ToolCallId is { } id) o["tool_call_id"] = id;
        return o;
    }

    private static JsonObject AsObject(string? json)
    {
        if (json is null) return [];
        try { return JsonNode.Parse(json) as JsonObject ?? []; }
        catch (JsonException) { return []; }
    }

    private static bool Set(string? before, JsonNode merged, int maxFieldBytes, Action<string> set)
    {
        var json = IngestJson.ToStoredJson(merged);
        if (json == before || Encoding.UTF8.GetByteCount(json) > maxFieldBytes) return false;
        set(json);
        return true;
    }
}
