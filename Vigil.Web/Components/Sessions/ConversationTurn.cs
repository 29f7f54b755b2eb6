using System.Text.Json.Nodes;
using Vigil.Core.Sessions;
using Vigil.Core.Traces;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Components.Sessions;

/// <summary>
/// One turn of a session as it reads in the conversation: what the user said (the last user message the turn's first LLM
/// call was given, else the root span's input) and what the assistant answered (the last LLM call's reply, else the root
/// span's output), with the first error of the turn. Plain data: the page renders it as encoded text.
/// </summary>
public sealed record ConversationTurn(int Number, TraceRecord Trace, IReadOnlyList<ChatMessage> Asked, IReadOnlyList<ChatMessage> Answered, SpanError? Error)
{
    private static readonly string[] AskKeys = ["message", "question", "query", "input", "prompt", "text", "content", "user_message"];
    private static readonly string[] AnswerKeys = ["answer", "output", "content", "response", "reply", "text", "result", "message"];

    public static ConversationTurn From(int number, SessionTurn turn)
    {
        var llm = turn.Spans.Where(s => s.Kind == SpanKind.Llm).ToList();
        var root = turn.Spans.FirstOrDefault(s => s.ParentSpanId is null);
        return new ConversationTurn(number, turn.Trace, UserMessage(llm, root), Reply(llm, root), FirstError(turn));
    }

    private static IReadOnlyList<ChatMessage> UserMessage(List<SpanRecord> llm, SpanRecord? root)
    {
        foreach (var span in llm.Take(1).Append(root).OfType<SpanRecord>())
        {
            var input = Conversation.From(span.Input, null).Input;
            if (input.LastOrDefault(m => m.Role == "user") is { } user) return [user];
        }
        return Text(root?.Input, AskKeys) is { } text ? [new ChatMessage("user", [new TextPart(text)])] : [];
    }

    private static IReadOnlyList<ChatMessage> Reply(List<SpanRecord> llm, SpanRecord? root)
    {
        foreach (var span in Enumerable.Reverse(llm).Take(1).Append(root).OfType<SpanRecord>())
        {
            var output = Conversation.From(null, span.Output).Output;
            if (output.Count > 0) return output;
        }
        return Text(root?.Output, AnswerKeys) is { } text ? [new ChatMessage("assistant", [new TextPart(text)])] : [];
    }

    private static SpanError? FirstError(SessionTurn turn)
    {
        if (turn.Trace.ErrorCount == 0 && turn.Trace.Status != SpanStatus.Error) return null;
        // Child spans first: a failed root usually only passes on what failed below it.
        foreach (var span in turn.Spans.Where(s => s.Status == SpanStatus.Error).OrderBy(s => s.ParentSpanId is null))
            if (SpanDetails.From(span).Error is { } error) return error;
        return new SpanError(null, "The turn failed (no message recorded).", null);
    }

    /// <summary>A plain payload's text: the first string under a conventional key, else the JSON itself.</summary>
    private static string? Text(string? json, string[] keys)
    {
        var node = Conversation.Parse(json);
        switch (node)
        {
            case null: return null;
            case JsonValue v when v.TryGetValue<string>(out var s): return s;
            case JsonObject o:
                foreach (var key in keys)
                    if (o[key] is JsonValue kv && kv.TryGetValue<string>(out var text) && text.Length > 0) return text;
                return o.Count == 0 ? null : o.ToJsonString(Conversation.Pretty);
            default: return node.ToJsonString(Conversation.Pretty);
        }
    }
}
