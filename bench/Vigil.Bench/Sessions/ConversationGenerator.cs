using System.Text.Json;

namespace Vigil.Bench.Sessions;

/// <summary>
/// Native batches of chat turns, made one at a time (a million spans never sit in memory): each trace is one turn of a
/// conversation (agent root, retriever, two LLM calls, a tool), the root span names the session and user. Conversations
/// have <c>turns</c> turns and a user has <c>sessionsPerUser</c> conversations; about 2 % of turns fail.
/// </summary>
public static class ConversationGenerator
{
    public static IEnumerable<byte[]> Batches(int totalSpans, int batchSize, int turns, int sessionsPerUser, DateTime start)
    {
        var spanNo = 0;
        var trace = -1;
        while (spanNo < totalSpans)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms))
            {
                w.WriteStartObject();
                w.WriteStartArray("spans");
                for (var i = 0; i < batchSize && spanNo < totalSpans; i++, spanNo++)
                {
                    var pos = spanNo % 5;
                    if (pos == 0) trace++;
                    WriteSpan(w, trace, pos, turns, sessionsPerUser, start.AddMilliseconds(trace * 500.0 + pos * 40));
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            yield return ms.ToArray();
        }
    }

    private static void WriteSpan(Utf8JsonWriter w, int trace, int pos, int turns, int sessionsPerUser, DateTime t0)
    {
        var session = trace / turns;
        var (name, kind) = pos switch
        {
            0 => ("chat-turn", "agent"),
            1 => ("retrieve", "retriever"),
            2 => ("plan", "llm"),
            3 => ("lookup-order", "tool"),
            _ => ("answer", "llm"),
        };
        w.WriteStartObject();
        w.WriteString("span_id", $"{trace}-{pos}");
        w.WriteString("trace_id", $"turn-{trace}");
        if (pos == 0)
        {
            w.WriteNull("parent_span_id");
            w.WriteString("session_id", $"conversation-{session}");
            w.WriteString("user_id", $"user-{session / sessionsPerUser}");
        }
        else w.WriteString("parent_span_id", $"{trace}-0");
        w.WriteString("name", name);
        w.WriteString("kind", kind);
        w.WriteString("status", trace % 50 == 7 && pos == 3 ? "error" : "ok");
        w.WriteStartObject("input");
        if (kind == "llm")
        {
            w.WriteString("model", pos == 2 ? "gpt-4o-mini" : "gpt-4o");
            w.WriteStartArray("messages");
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteString("content", $"Turn {trace % turns} of conversation {session}: where is my order?");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else w.WriteString("query", $"conversation {session} turn {trace % turns}");
        w.WriteEndObject();
        w.WriteStartObject("output");
        w.WriteString("content", "Your order shipped yesterday and should arrive on Friday.");
        if (kind == "llm")
        {
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", 200 + trace % 50);
            w.WriteNumber("completion_tokens", 40 + trace % 30);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteString("start_time", t0);
        w.WriteString("end_time", t0.AddMilliseconds(30 + (trace * 37 + pos * 11) % 400));
        w.WriteEndObject();
    }
}
