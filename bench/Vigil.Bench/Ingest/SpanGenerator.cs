using System.Text.Json;

namespace Vigil.Bench.Ingest;

/// <summary>
/// Realistic native batches: traces of an agent with a retriever, two LLM calls and a tool, about 1 KB of
/// input/output per span (chat messages, documents), a few errors.
/// </summary>
public static class SpanGenerator
{
    private static readonly string Lorem = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog while the agent considers its options. ", 8));

    public static List<byte[]> Batches(int totalSpans, int batchSize, string runId)
    {
        var batches = new List<byte[]>();
        var start = DateTime.UtcNow.AddHours(-1);
        var spanNo = 0;
        var traceNo = 0;
        while (spanNo < totalSpans)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms))
            {
                w.WriteStartObject();
                w.WriteStartArray("spans");
                for (var i = 0; i < batchSize && spanNo < totalSpans; i++, spanNo++)
                {
                    var posInTrace = spanNo % 5;
                    if (posInTrace == 0) traceNo++;
                    WriteSpan(w, runId, traceNo, posInTrace, start.AddMilliseconds(spanNo * 3));
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            batches.Add(ms.ToArray());
        }
        return batches;
    }

    private static void WriteSpan(Utf8JsonWriter w, string runId, int trace, int pos, DateTime t0)
    {
        var (name, kind) = pos switch
        {
            0 => ("support-agent", "agent"),
            1 => ("retrieve-docs", "retriever"),
            2 => ("plan", "llm"),
            3 => ("lookup-order", "tool"),
            _ => ("answer", "llm"),
        };
        w.WriteStartObject();
        w.WriteString("span_id", $"{runId}-{trace}-{pos}");
        w.WriteString("trace_id", $"{runId}-{trace}");
        if (pos == 0) w.WriteNull("parent_span_id"); else w.WriteString("parent_span_id", $"{runId}-{trace}-0");
        w.WriteString("name", name);
        w.WriteString("kind", kind);
        w.WriteString("status", trace % 50 == 0 && pos == 3 ? "error" : "ok");
        w.WriteStartObject("input");
        if (kind == "llm")
        {
            w.WriteString("model", pos == 2 ? "gpt-4o-mini" : "claude-3-5-sonnet-20241022");
            w.WriteStartArray("messages");
            Message(w, "system", "You are a helpful support agent. " + Lorem[..200]);
            Message(w, "user", $"Question {trace}: " + Lorem[..300]);
            w.WriteEndArray();
            w.WriteNumber("temperature", 0.2);
        }
        else w.WriteString("query", $"Question {trace}: " + Lorem[..480]);
        w.WriteEndObject();
        w.WriteStartObject("output");
        w.WriteString("content", Lorem[..500]);
        if (kind == "llm")
        {
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", 120 + trace % 40);
            w.WriteNumber("completion_tokens", 60 + trace % 30);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("metadata");
        w.WriteString("bench", runId);
        w.WriteEndObject();
        w.WriteString("start_time", t0);
        w.WriteString("end_time", t0.AddMilliseconds(50 + (trace * 37 + pos * 11) % 900));
        w.WriteEndObject();
    }

    private static void Message(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    public static int AverageSpanBytes(List<byte[]> batches, int totalSpans) => (int)(batches.Sum(b => (long)b.Length) / Math.Max(1, totalSpans));
}
