using System.Buffers;
using System.Text;
using System.Text.Json;
using Vigil.Core.Ingest.Logs;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// Reads an OTLP <see cref="ExportLogsServiceRequest"/> (protobuf or OTLP/JSON) per span. A record is tied to its span
/// by trace id + span id; one without both is rejected (OTLP partial success). GenAI message events
/// (<c>gen_ai.{system|user|assistant|tool}.message</c>, <c>gen_ai.choice</c>,
/// <c>gen_ai.client.inference.operation.details</c>) become the span's input and output messages; the operation details
/// also give request parameters. Every other record becomes an event of its span.
/// </summary>
internal static class OtlpLogMapper
{
    public static SpanLogBatch Map(ExportLogsServiceRequest request, IngestOptions limits)
    {
        var count = 0;
        foreach (var rl in request.ResourceLogs)
            foreach (var sl in rl.ScopeLogs)
                count += sl.LogRecords.Count;
        if (count > limits.MaxSpansPerBatch)
            throw new IngestFormatException($"The request has {count} log records; the limit is {limits.MaxSpansPerBatch} per request.", "Vigil:Ingest:MaxSpansPerBatch");

        var batch = new SpanLogBatch { Records = count };
        var index = 0;
        var input = new List<ChatMessage>();
        var output = new List<ChatMessage>();
        foreach (var rl in request.ResourceLogs)
            foreach (var sl in rl.ScopeLogs)
                foreach (var record in sl.LogRecords)
                {
                    MapRecord(record, index++, batch, limits, input, output);
                    input.Clear();
                    output.Clear();
                }
        return batch;
    }

    private static void MapRecord(LogRecord record, int index, SpanLogBatch batch, IngestOptions limits, List<ChatMessage> input, List<ChatMessage> output)
    {
        var traceId = OtlpIds.ToHex(record.TraceId, OtlpIds.TraceIdBytes);
        var spanId = OtlpIds.ToHex(record.SpanId, OtlpIds.SpanIdBytes);
        if (traceId is null || spanId is null)
        {
            batch.Reject($"logRecords[{index}] has no span context (a 16-byte trace_id and an 8-byte span_id tie a record to its span)");
            return;
        }
        var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
        var name = EventName(record);

        if (name is not null && GenAiMessageReader.IsMessageEvent(name))
        {
            GenAiMessageReader.ReadEvent(name, record.Attributes, record.Body, input, output);
            var size = input.Sum(Size) + output.Sum(Size);
            if (size > limits.MaxFieldBytes)
            {
                batch.Reject($"logRecords[{index}] carries {size} bytes of messages; the limit is {limits.MaxFieldBytes} bytes (Vigil:Ingest:MaxFieldBytes)");
                return;
            }
            var content = batch.For(traceId, spanId);
            foreach (var m in input) content.Input.Add(new LoggedMessage(m, time));
            foreach (var m in output) content.Output.Add(new LoggedMessage(m, time));
            if (name == GenAiMessageReader.OperationDetailsEvent) ReadParameters(record, content);
            return;
        }

        var json = EventJson(record, name, time);
        if (Encoding.UTF8.GetByteCount(json) > limits.MaxFieldBytes)
        {
            batch.Reject($"logRecords[{index}] is over {limits.MaxFieldBytes} bytes as a span event (Vigil:Ingest:MaxFieldBytes)");
            return;
        }
        batch.For(traceId, spanId).Events.Add(json);
    }

    /// <summary>The record's <c>event_name</c>, or the older <c>event.name</c> attribute.</summary>
    private static string? EventName(LogRecord record)
    {
        if (record.EventName.Length > 0) return record.EventName;
        foreach (var kv in record.Attributes)
            if (kv.Key == "event.name") return OtlpValueWriter.AsString(kv.Value);
        return null;
    }

    private static int Size(ChatMessage m) => (m.Content?.Length ?? 0) + (m.ToolCallsJson?.Length ?? 0);

    /// <summary>The request parameters of an operation details event, named as in the replayable input.</summary>
    private static void ReadParameters(LogRecord record, SpanLogContent content)
    {
        var a = new LlmAttributes();
        foreach (var kv in record.Attributes) a.Collect(kv);
        if (record.Body?.ValueCase == AnyValue.ValueOneofCase.KvlistValue)
            foreach (var kv in record.Body.KvlistValue.Values) a.Collect(kv);
        if (a.RequestModel is { } model) content.Parameters["model"] = JsonSerializer.Serialize(model);
        Parameter(content, "temperature", a.Temperature);
        Parameter(content, "max_tokens", a.MaxTokens);
        Parameter(content, "top_p", a.TopP);
        Parameter(content, "stop", a.StopSequences);
    }

    private static void Parameter(SpanLogContent content, string name, AnyValue? value)
    {
        if (value is null) return;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) OtlpValueWriter.WriteValue(w, value);
        content.Parameters[name] = Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <c>{name, timestamp, attributes}</c> like a span event: named by the event name, else the severity, else "log";
    /// the body and severity join the attributes as <c>log.body</c> and <c>log.severity</c>.
    /// </summary>
    private static string EventJson(LogRecord record, string? name, ulong time)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, OtlpMapper.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("name", name ?? (record.SeverityText.Length > 0 ? record.SeverityText : "log"));
            if (OtlpMapper.FromUnixNanos(time) is { } at) w.WriteString("timestamp", at.UtcDateTime);
            else w.WriteNull("timestamp");
            w.WriteStartObject("attributes");
            foreach (var kv in record.Attributes)
                if (kv.Key != "event.name") OtlpValueWriter.Write(w, kv);
            if (record.SeverityText.Length > 0) w.WriteString("log.severity", record.SeverityText);
            else if (record.SeverityNumber != SeverityNumber.Unspecified) w.WriteNumber("log.severity_number", (int)record.SeverityNumber);
            if (record.Body is not null)
            {
                w.WritePropertyName("log.body");
                OtlpValueWriter.WriteValue(w, record.Body);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
