using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Vigil.Bench.Soak;

/// <summary>
/// The soak's ingest: native batches posted at a fixed span rate (agent → retriever, LLM plan, tool, LLM answer; a few
/// hundred bytes of chat text on the LLM spans), plus one long trace that gains a span every second (the one the
/// browser holds open). Every span id carries its send time, so hub clients measure POST-to-client latency.
/// </summary>
public sealed class SoakTraffic(HttpClient http, int rate, int batchSize)
{
    public const string GrowingTraceId = "soak-growing";
    private static readonly string Text = string.Concat(Enumerable.Repeat("The customer asks where the order is and whether a refund is possible. ", 4));

    private long _traceNo;
    private int _growNo;
    public long SpansSent;
    public long SpansAccepted;
    public long FailedRequests;
    public long LateBatches;
    public int GrowingSpans => _growNo;
    public LatencyHistogram BatchLatency { get; } = new();
    public List<string> Failures { get; } = [];

    public async Task RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(batchSize / (double)rate);
        var clock = Stopwatch.StartNew();
        var inflight = new List<Task>();
        var nextGrow = TimeSpan.Zero;
        await PostAsync(GrowRoot(), 1); // the growing trace's root: running until the end
        for (long b = 0; clock.Elapsed < duration && !ct.IsCancellationRequested; b++)
        {
            var wait = interval * b - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            else if (wait < -TimeSpan.FromSeconds(1)) Interlocked.Increment(ref LateBatches); // the sender fell a second behind
            inflight.Add(PostAsync(Batch(b), batchSize));
            if (clock.Elapsed >= nextGrow)
            {
                inflight.Add(PostAsync(GrowChild(), 1));
                nextGrow += TimeSpan.FromSeconds(1);
            }
            if (inflight.Count > 256) inflight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inflight);
        await PostAsync(GrowEnd(), 1);
    }

    private async Task PostAsync(byte[] body, int spans)
    {
        var sent = Stopwatch.GetTimestamp();
        Interlocked.Add(ref SpansSent, spans);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/v1/traces", content);
            BatchLatency.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            if (response.IsSuccessStatusCode) { Interlocked.Add(ref SpansAccepted, spans); return; }
            Fail($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Fail(e.GetType().Name + ": " + e.Message);
        }
    }

    private void Fail(string what)
    {
        var n = Interlocked.Increment(ref FailedRequests);
        lock (Failures) if (Failures.Count < 20) Failures.Add(what);
        if (n <= 5) Console.Error.WriteLine($"  failed request {n}: {what}");
    }

    private byte[] Batch(long batchNo)
    {
        var buffer = new ArrayBufferWriter<byte>(batchSize * 900);
        using (var w = new Utf8JsonWriter(buffer))
        {
            var ticks = Stopwatch.GetTimestamp();
            var now = DateTime.UtcNow;
            w.WriteStartObject();
            w.WriteStartArray("spans");
            for (var i = 0; i < batchSize; i++)
            {
                var pos = i % 5;
                if (pos == 0) Interlocked.Increment(ref _traceNo);
                WriteSpan(w, $"s{ticks}-{batchNo}-{i}", $"soak-{_traceNo}", pos, now);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteSpan(Utf8JsonWriter w, string spanId, string traceId, int pos, DateTime now)
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
        w.WriteString("span_id", spanId);
        w.WriteString("trace_id", traceId);
        w.WriteString("name", name);
        w.WriteString("kind", kind);
        w.WriteString("status", _traceNo % 50 == 0 && pos == 3 ? "error" : "ok");
        if (kind == "llm")
        {
            w.WriteStartObject("input");
            w.WriteString("model", pos == 2 ? "gpt-4o-mini" : "claude-3-5-sonnet-20241022");
            w.WriteStartArray("messages");
            w.WriteStartObject(); w.WriteString("role", "user"); w.WriteString("content", Text[..(120 + (int)(_traceNo % 100))]); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("output");
            w.WriteString("content", Text[..150]);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", 120 + _traceNo % 40);
            w.WriteNumber("completion_tokens", 60 + _traceNo % 30);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject("input"); w.WriteString("query", "order 4711"); w.WriteEndObject();
        }
        w.WriteString("start_time", now.AddMilliseconds(-900 + pos * 100));
        w.WriteString("end_time", now.AddMilliseconds(-850 + pos * 100 + (_traceNo * 37 + pos * 11) % 300));
        w.WriteEndObject();
    }

    private static byte[] GrowRoot() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        spans = new[] { new { span_id = "grow-root", trace_id = GrowingTraceId, name = "long-running-agent", kind = "agent", start_time = DateTime.UtcNow } },
    });

    private byte[] GrowChild()
    {
        var n = Interlocked.Increment(ref _growNo);
        var now = DateTime.UtcNow;
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            spans = new[]
            {
                new { span_id = $"grow-{n}", trace_id = GrowingTraceId, parent_span_id = "grow-root", name = $"step-{n}", kind = n % 3 == 0 ? "llm" : "tool",
                      start_time = now.AddMilliseconds(-400), end_time = now },
            },
        });
    }

    private static byte[] GrowEnd() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        spans = new[] { new { span_id = "grow-root", trace_id = GrowingTraceId, status = "ok", end_time = DateTime.UtcNow } },
    });
}
