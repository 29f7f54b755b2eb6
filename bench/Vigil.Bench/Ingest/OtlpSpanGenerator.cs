using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Bench.Ingest;

/// <summary>
/// The same traces as <see cref="SpanGenerator"/> (agent, retriever, two LLM calls, a tool; about 1 KB of content per
/// span), encoded as OTLP/HTTP protobuf with GenAI semantic-convention attributes, as an instrumented app would export them.
/// </summary>
public static class OtlpSpanGenerator
{
    private static readonly string Lorem = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog while the agent considers its options. ", 8));

    public static List<byte[]> Batches(int totalSpans, int batchSize, string runId)
    {
        // 8 bytes of the run id make trace ids unique per run; the trace number fills the rest.
        var runPrefix = SHA256.HashData(Encoding.UTF8.GetBytes(runId)).AsSpan(0, 8).ToArray();
        var resource = new Resource
        {
            Attributes = { Kv("service.name", "bench-agent"), Kv("telemetry.sdk.language", "dotnet"), Kv("telemetry.sdk.name", "opentelemetry") },
        };
        var batches = new List<byte[]>();
        var start = DateTime.UtcNow.AddHours(-1);
        var spanNo = 0;
        var traceNo = 0;
        while (spanNo < totalSpans)
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Vigil.Bench", Version = "1.0.0" } };
            for (var i = 0; i < batchSize && spanNo < totalSpans; i++, spanNo++)
            {
                var posInTrace = spanNo % 5;
                if (posInTrace == 0) traceNo++;
                scope.Spans.Add(MakeSpan(runPrefix, traceNo, posInTrace, start.AddMilliseconds(spanNo * 3)));
            }
            var request = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } };
            batches.Add(request.ToByteArray());
        }
        return batches;
    }

    private static Span MakeSpan(byte[] runPrefix, int trace, int pos, DateTime t0)
    {
        var (name, operation) = pos switch
        {
            0 => ("support-agent", "invoke_agent"),
            1 => ("retrieve-docs", "embeddings"),
            2 => ("chat gpt-4o-mini", "chat"),
            3 => ("lookup-order", "execute_tool"),
            _ => ("chat claude-3-5-sonnet", "chat"),
        };
        var startNs = (ulong)(t0 - DateTime.UnixEpoch).Ticks * 100;
        var span = new Span
        {
            TraceId = TraceId(runPrefix, trace),
            SpanId = SpanId(trace, pos),
            ParentSpanId = pos == 0 ? ByteString.Empty : SpanId(trace, 0),
            Name = name,
            Kind = pos is 2 or 4 ? Span.Types.SpanKind.Client : Span.Types.SpanKind.Internal,
            StartTimeUnixNano = startNs,
            EndTimeUnixNano = startNs + (ulong)(50 + (trace * 37 + pos * 11) % 900) * 1_000_000,
            Attributes = { Kv("gen_ai.operation.name", operation) },
            Status = new Status { Code = trace % 50 == 0 && pos == 3 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Ok },
        };
        if (operation == "chat")
        {
            var model = pos == 2 ? "gpt-4o-mini" : "claude-3-5-sonnet-20241022";
            span.Attributes.Add(Kv("gen_ai.provider.name", pos == 2 ? "openai" : "anthropic"));
            span.Attributes.Add(Kv("gen_ai.request.model", model));
            span.Attributes.Add(Kv("gen_ai.response.model", model));
            span.Attributes.Add(new KeyValue { Key = "gen_ai.request.temperature", Value = new AnyValue { DoubleValue = 0.2 } });
            span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = 120 + trace % 40 } });
            span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = 60 + trace % 30 } });
            span.Attributes.Add(Kv("gen_ai.system_instructions", Parts(null, "You are a helpful support agent. " + Lorem[..200])));
            span.Attributes.Add(Kv("gen_ai.input.messages", Parts("user", $"Question {trace}: " + Lorem[..300])));
            span.Attributes.Add(Kv("gen_ai.output.messages", Parts("assistant", Lorem[..500], "stop")));
        }
        else
        {
            span.Attributes.Add(Kv("input.value", $"Question {trace}: " + Lorem[..480]));
            span.Attributes.Add(Kv("output.value", Lorem[..500]));
        }
        return span;
    }

    /// <summary>GenAI message JSON: <c>[{"role", "parts": [{"type": "text", "content"}], "finish_reason"}]</c>, or bare parts for system instructions.</summary>
    private static string Parts(string? role, string text, string? finishReason = null)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartArray();
            if (role is not null)
            {
                w.WriteStartObject();
                w.WriteString("role", role);
                w.WriteStartArray("parts");
            }
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("content", text);
            w.WriteEndObject();
            if (role is not null)
            {
                w.WriteEndArray();
                if (finishReason is not null) w.WriteString("finish_reason", finishReason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static ByteString TraceId(byte[] runPrefix, int trace)
    {
        var id = new byte[16];
        runPrefix.CopyTo(id, 0);
        BitConverter.TryWriteBytes(id.AsSpan(8), (long)trace);
        return UnsafeByteOperations.UnsafeWrap(id);
    }

    private static ByteString SpanId(int trace, int pos)
    {
        var id = new byte[8];
        BitConverter.TryWriteBytes(id, ((long)trace << 8) | (uint)(pos + 1));
        return UnsafeByteOperations.UnsafeWrap(id);
    }

    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
