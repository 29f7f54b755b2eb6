using System.Text.Json;

namespace Vigil.Bench.Scale;

/// <summary>
/// A month of an agent's traffic, generated in start-time order: traces of five spans (agent → retriever, an LLM plan, a
/// tool, an LLM answer), start times spread evenly over <see cref="Days"/> days ending a minute ago, ~1 KB of varied
/// input/output text on the two LLM spans (words drawn from a fixed vocabulary, so the text indexes like real prose rather
/// than one repeated sentence), small payloads elsewhere, 2 % of traces with a failed tool call. Deterministic for a seed:
/// the read phase knows which words, names and models occur and how often.
/// </summary>
public sealed class ScaleTraffic
{
    public const int SpansPerTrace = 5;
    public const int Days = 30;

    /// <summary>In about one trace in ten (a user message): a word that matches some traces.</summary>
    public const string HitWord = "refund";
    /// <summary>In about one trace in two thousand: a word that matches few traces.</summary>
    public const string RareWord = "chargeback";
    /// <summary>In about two traces in three: a word that matches most traces.</summary>
    public const string CommonWord = "please";
    /// <summary>Never generated (no vocabulary word contains it).</summary>
    public const string MissWord = "zqxjvw";
    /// <summary>The trace name of about one trace in twenty.</summary>
    public const string RareName = "nightly-report";
    /// <summary>The answer model of about one trace in thirty.</summary>
    public const string RareModel = "o3-mini";

    private static readonly (string Name, int Weight)[] TraceNames =
    [
        ("support-agent", 40), ("billing-agent", 15), ("triage", 10), ("rag-query", 10), ("summarize", 8),
        ("sql-agent", 6), (RareName, 5), ("translate", 3), ("code-review", 2), ("classify-ticket", 1),
    ];

    private static readonly string[] Common =
        ["the", "order", "customer", "account", "shipping", "help", "thanks", "invoice", "delivery", "status", "agent", "issue"];

    private readonly string[] _vocabulary;
    private readonly string[] _names;
    private readonly long _startUs;
    private readonly long _stepUs;
    private readonly string _run;

    public ScaleTraffic(long traces, string run, DateTimeOffset end)
    {
        Traces = traces;
        _run = run;
        var endUs = (end.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10;
        _startUs = endUs - Days * 86_400_000_000L;
        _stepUs = Math.Max(1, (endUs - _startUs) / Math.Max(1, traces));
        _names = [.. TraceNames.SelectMany(n => Enumerable.Repeat(n.Name, n.Weight))];
        // Pseudo-words from syllables: thousands of distinct words, none containing the miss word.
        var rng = new Random(7);
        string[] syllables = ["ka", "to", "ri", "sen", "lo", "mar", "qui", "dex", "pol", "un", "ver", "sta", "li", "no", "gra", "fen", "op", "tur", "bel", "cor", "ze", "mi", "an", "est", "ro", "da"];
        _vocabulary = [.. Enumerable.Range(0, 6000).Select(_ => string.Concat(Enumerable.Range(0, rng.Next(1, 5)).Select(_ => syllables[rng.Next(syllables.Length)])))];
    }

    public long Traces { get; }

    public string TraceId(long i) => $"{_run}-{i}";

    /// <summary>Start time (Unix µs) of trace <paramref name="i"/>.</summary>
    public long TraceStartUs(long i) => _startUs + i * _stepUs;

    /// <summary>One native batch with traces [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public byte[] Batch(long first, int count)
    {
        using var ms = new MemoryStream(count * 4096);
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("spans");
            for (var i = first; i < first + count && i < Traces; i++) WriteTrace(w, i);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private void WriteTrace(Utf8JsonWriter w, long i)
    {
        var rng = new Random(unchecked((int)(i * 2654435761L)));
        var t0 = TraceStartUs(i) + rng.Next(0, (int)Math.Min(int.MaxValue, _stepUs));
        var name = _names[rng.Next(_names.Length)];
        var failed = rng.Next(50) == 0;
        var answerModel = rng.Next(30) == 0 ? RareModel : rng.Next(2) == 0 ? "gpt-4o-mini" : "claude-3-5-sonnet-20241022";
        var id = TraceId(i);
        var at = t0;
        long Dur(double medianMs) => (long)(medianMs * 1000 * Math.Exp(0.5 * Normal(rng)));

        var retrieveUs = Dur(80); var planUs = Dur(900); var toolUs = Dur(120); var answerUs = Dur(1500);
        var rootEnd = at + retrieveUs + planUs + toolUs + answerUs + 2000;
        Span(w, id, "0", null, name, "agent", "ok", at, rootEnd, () => { w.WriteString("task", name); w.WriteNumber("ticket", i); }, () => w.WriteString("result", failed ? "escalated" : "resolved"));
        at += 500;
        Span(w, id, "1", "0", "retrieve-docs", "retriever", "ok", at, at + retrieveUs,
            () => w.WriteString("query", Words(rng, 60)), () => w.WriteString("documents", Words(rng, 80)));
        at += retrieveUs;
        Llm(w, rng, id, "2", "plan", "gpt-4o-mini", at, at + planUs, i);
        at += planUs;
        Span(w, id, "3", "0", "lookup-order", "tool", failed ? "error" : "ok", at, at + toolUs,
            () => w.WriteString("order_id", $"ord-{i}"), () => w.WriteString(failed ? "error" : "order", failed ? "timeout after 30 s" : Words(rng, 40)));
        at += toolUs;
        Llm(w, rng, id, "4", "answer", answerModel, at, at + answerUs, i);
    }

    private void Llm(Utf8JsonWriter w, Random rng, string traceId, string spanId, string name, string model, long start, long end, long i)
    {
        var user = Words(rng, 420);
        if (rng.Next(10) == 0) user = HitWord + " " + user;
        if (rng.Next(2000) == 0) user += " " + RareWord;
        if (rng.Next(3) != 0) user = CommonWord + " " + user;
        Span(w, traceId, spanId, "0", name, "llm", "ok", start, end,
            () =>
            {
                w.WriteString("model", model);
                w.WriteStartArray("messages");
                Message(w, "system", "You are a support agent. " + Words(rng, 220));
                Message(w, "user", $"Ticket {i}: " + user);
                w.WriteEndArray();
                w.WriteNumber("temperature", 0.2);
            },
            () =>
            {
                w.WriteString("content", Words(rng, 380));
                w.WriteString("model", model);
                w.WriteStartObject("usage");
                w.WriteNumber("prompt_tokens", 150 + rng.Next(100));
                w.WriteNumber("completion_tokens", 60 + rng.Next(60));
                w.WriteEndObject();
            });
    }

    private static void Span(Utf8JsonWriter w, string traceId, string spanId, string? parent, string name, string kind, string status,
        long startUs, long endUs, Action input, Action output)
    {
        w.WriteStartObject();
        w.WriteString("span_id", traceId + "-" + spanId);
        w.WriteString("trace_id", traceId);
        if (parent is null) w.WriteNull("parent_span_id"); else w.WriteString("parent_span_id", traceId + "-" + parent);
        w.WriteString("name", name);
        w.WriteString("kind", kind);
        w.WriteString("status", status);
        w.WriteStartObject("input"); input(); w.WriteEndObject();
        w.WriteStartObject("output"); output(); w.WriteEndObject();
        w.WriteString("start_time", Time(startUs));
        w.WriteString("end_time", Time(endUs));
        w.WriteEndObject();
    }

    private static string Time(long us) => DateTimeOffset.UnixEpoch.AddTicks(us * 10).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ");

    private static void Message(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    private string Words(Random rng, int chars)
    {
        var sb = new System.Text.StringBuilder(chars + 16);
        while (sb.Length < chars)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(rng.Next(4) == 0 ? Common[rng.Next(Common.Length)] : _vocabulary[rng.Next(_vocabulary.Length)]);
        }
        return sb.ToString();
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
