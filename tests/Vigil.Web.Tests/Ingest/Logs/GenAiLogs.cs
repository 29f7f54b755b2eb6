using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Web.Tests.Ingest.Logs;

/// <summary>
/// An LLM call as OpenTelemetry's GenAI instrumentations record it when content goes to logs: a span with the request
/// and usage attributes but no messages, and log records (system, user, choice) tied to it by trace and span id.
/// </summary>
internal static class GenAiLogs
{
    public const string System = "You are terse.";
    public const string Question = "Capital of France?";
    public const string Answer = "Paris.";
    public const ulong Start = 1_767_225_600_000_000_000;

    public static string NewTraceId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    public static string NewSpanId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);

    public static ExportTraceServiceRequest ChatSpan(string traceId, string spanId)
    {
        var span = OtlpHttp.Span(traceId, spanId, "chat gpt-4o-mini");
        span.Kind = Span.Types.SpanKind.Client;
        span.Attributes.Add(Attr("gen_ai.operation.name", "chat"));
        span.Attributes.Add(Attr("gen_ai.system", "openai"));
        span.Attributes.Add(Attr("gen_ai.request.model", "gpt-4o-mini"));
        span.Attributes.Add(Attr("gen_ai.response.model", "gpt-4o-mini-2024-07-18"));
        span.Attributes.Add(new KeyValue { Key = "gen_ai.request.temperature", Value = new AnyValue { DoubleValue = 0.2 } });
        span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = 12 } });
        span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = 3 } });
        return OtlpHttp.Request(span);
    }

    /// <summary>System and user message, the choice, one other record of the span, and one record with no span context.</summary>
    public static ExportLogsServiceRequest Conversation(string traceId, string spanId) => Logs(
        Record(traceId, spanId, "gen_ai.system.message", Map(("content", Str(System))), 1),
        Record(traceId, spanId, "gen_ai.user.message", Map(("content", Str(Question))), 2),
        Record(traceId, spanId, "gen_ai.choice", Map(
            ("index", new AnyValue { IntValue = 0 }),
            ("finish_reason", Str("stop")),
            ("message", Map(("role", Str("assistant")), ("content", Str(Answer))))), 3),
        Other(traceId, spanId),
        Record(null, null, "gen_ai.user.message", Map(("content", Str("orphan"))), 5));

    public static LogRecord Other(string traceId, string spanId)
    {
        var record = Record(traceId, spanId, "cache.lookup", Str("prompt cache miss"), 4);
        record.SeverityText = "INFO";
        record.SeverityNumber = SeverityNumber.Info;
        record.Attributes.Add(Attr("cache.key", "k1"));
        return record;
    }

    public static ExportLogsServiceRequest Logs(params LogRecord[] records) => new()
    {
        ResourceLogs = { new ResourceLogs { ScopeLogs = { new ScopeLogs { Scope = new InstrumentationScope { Name = "opentelemetry.instrumentation.openai_v2" }, LogRecords = { records } } } } },
    };

    public static LogRecord Record(string? traceId, string? spanId, string eventName, AnyValue body, int offsetMs) => new()
    {
        TimeUnixNano = Start + (ulong)offsetMs * 1_000_000,
        TraceId = traceId is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(traceId)),
        SpanId = spanId is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(spanId)),
        EventName = eventName,
        Body = body,
    };

    public static AnyValue Str(string s) => new() { StringValue = s };

    public static AnyValue Map(params (string Key, AnyValue Value)[] entries)
    {
        var list = new KeyValueList();
        foreach (var (k, v) in entries) list.Values.Add(new KeyValue { Key = k, Value = v });
        return new AnyValue { KvlistValue = list };
    }

    private static KeyValue Attr(string key, string value) => new() { Key = key, Value = Str(value) };
}
