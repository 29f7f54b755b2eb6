using System.Text.Json;
using Google.Protobuf;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Tests.Ingest.Logs;

public class OtlpLogMapperTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string SpanId = "b7ad6b7169203331";

    private static LogRecord Record(string? eventName, AnyValue? body = null, params (string Key, AnyValue Value)[] attributes)
    {
        var r = new LogRecord
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceId)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(SpanId)),
            TimeUnixNano = 1_767_225_600_000_000_000,
            EventName = eventName ?? "",
            Body = body,
        };
        foreach (var (k, v) in attributes) r.Attributes.Add(new KeyValue { Key = k, Value = v });
        return r;
    }

    private static AnyValue S(string s) => new() { StringValue = s };

    private static AnyValue Map(params (string Key, AnyValue Value)[] entries)
    {
        var list = new KeyValueList();
        foreach (var (k, v) in entries) list.Values.Add(new KeyValue { Key = k, Value = v });
        return new AnyValue { KvlistValue = list };
    }

    private static ExportLogsServiceRequest Request(params LogRecord[] records) => new()
    {
        ResourceLogs = { new ResourceLogs { ScopeLogs = { new ScopeLogs { LogRecords = { records } } } } },
    };

    [Fact]
    public void Message_events_read_their_content_from_the_body_or_the_attributes_and_the_older_event_name_attribute()
    {
        var batch = OtlpLogMapper.Map(Request(
            Record("gen_ai.system.message", Map(("content", S("Be brief.")))),
            // Older SDKs: no event_name field, the name in an attribute; content as a JSON string attribute.
            Record(null, null, ("event.name", S("gen_ai.user.message")), ("gen_ai.event.content", S("""{"content":"Hi"}"""))),
            Record("gen_ai.assistant.message", Map(("tool_calls", new AnyValue { ArrayValue = new ArrayValue { Values = {
                Map(("id", S("call_1")), ("type", S("function")), ("function", Map(("name", S("lookup")), ("arguments", Map(("q", S("x"))))))) } } }))),
            Record("gen_ai.tool.message", Map(("content", S("42")), ("id", S("call_1")))),
            Record("gen_ai.choice", Map(("finish_reason", S("stop")), ("message", Map(("content", S("Done."))))))), new IngestOptions());

        var content = Assert.Single(batch.Spans.Values);
        Assert.Equal(0, batch.Rejected);
        Assert.Equal(["system:Be brief.", "user:Hi", "assistant:", "tool:42"], content.Input.Select(m => $"{m.Message.Role}:{m.Message.Content}"));
        var call = JsonDocument.Parse(content.Input[2].Message.ToolCallsJson!).RootElement[0];
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("lookup", call.GetProperty("function").GetProperty("name").GetString());
        // OpenAI carries arguments as a JSON string.
        Assert.Equal("""{"q":"x"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_1", content.Input[3].Message.ToolCallId);
        var choice = Assert.Single(content.Output).Message;
        Assert.Equal(("assistant", "Done.", "stop"), (choice.Role, choice.Content, choice.FinishReason));
    }

    [Fact]
    public void The_operation_details_event_gives_the_whole_conversation_and_the_request_parameters()
    {
        var batch = OtlpLogMapper.Map(Request(Record("gen_ai.client.inference.operation.details", null,
            ("gen_ai.system_instructions", S("""[{"type":"text","content":"Be brief."}]""")),
            ("gen_ai.input.messages", S("""[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]""")),
            ("gen_ai.output.messages", S("""[{"role":"assistant","parts":[{"type":"text","content":"Hello"}],"finish_reason":"stop"}]""")),
            ("gen_ai.request.model", S("gpt-4o")),
            ("gen_ai.request.temperature", new AnyValue { DoubleValue = 0.5 }),
            ("gen_ai.request.max_tokens", new AnyValue { IntValue = 100 }))), new IngestOptions());

        var content = Assert.Single(batch.Spans.Values);
        Assert.Equal(["system:Be brief.", "user:Hi"], content.Input.Select(m => $"{m.Message.Role}:{m.Message.Content}"));
        Assert.Equal("Hello", Assert.Single(content.Output).Message.Content);
        Assert.Equal("\"gpt-4o\"", content.Parameters["model"]);
        Assert.Equal("0.5", content.Parameters["temperature"]);
        Assert.Equal("100", content.Parameters["max_tokens"]);
    }

    [Fact]
    public void Other_records_become_events_and_records_without_a_span_context_are_rejected()
    {
        var plain = Record(null, S("retrying"), ("attempt", new AnyValue { IntValue = 2 }));
        plain.SeverityText = "WARN";
        var orphan = Record("gen_ai.user.message", S("hi"));
        orphan.SpanId = ByteString.Empty;
        var batch = OtlpLogMapper.Map(Request(plain, orphan), new IngestOptions());

        Assert.Equal(1, batch.Rejected);
        Assert.Contains("logRecords[1] has no span context", Assert.Single(batch.Errors));
        var ev = JsonDocument.Parse(Assert.Single(Assert.Single(batch.Spans.Values).Events)).RootElement;
        Assert.Equal("WARN", ev.GetProperty("name").GetString());
        Assert.Equal("2026-01-01T00:00:00Z", ev.GetProperty("timestamp").GetString());
        Assert.Equal(2, ev.GetProperty("attributes").GetProperty("attempt").GetInt32());
        Assert.Equal("retrying", ev.GetProperty("attributes").GetProperty("log.body").GetString());
    }

    [Fact]
    public void Limits_reject_an_oversized_record_and_refuse_a_request_with_too_many()
    {
        var big = Record("gen_ai.user.message", Map(("content", S(new string('x', 2000)))));
        var batch = OtlpLogMapper.Map(Request(big), new IngestOptions { MaxFieldBytes = 1024 });
        Assert.Equal(1, batch.Rejected);
        Assert.Contains("Vigil:Ingest:MaxFieldBytes", batch.Errors[0]);

        var ex = Assert.Throws<IngestFormatException>(() => OtlpLogMapper.Map(Request(Record("x"), Record("y")), new IngestOptions { MaxSpansPerBatch = 1 }));
        Assert.Equal("Vigil:Ingest:MaxSpansPerBatch", ex.Limit);
    }

    [Fact]
    public void OTLP_JSON_logs_read_hex_ids_and_enum_names()
    {
        var json = $$$$"""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"timeUnixNano":"1767225600000000000","severityNumber":"SEVERITY_NUMBER_INFO","traceId":"{{{{TraceId}}}}","spanId":"{{{{SpanId}}}}",
               "eventName":"gen_ai.user.message","body":{"kvlistValue":{"values":[{"key":"content","value":{"stringValue":"Hi"}}]}}}]}]}]}
            """;
        var request = OtlpJsonReader.ReadLogs(System.Text.Encoding.UTF8.GetBytes(json), new IngestOptions());
        var record = request.ResourceLogs[0].ScopeLogs[0].LogRecords[0];
        Assert.Equal(SeverityNumber.Info, record.SeverityNumber);
        var batch = OtlpLogMapper.Map(request, new IngestOptions());
        Assert.Equal((TraceId, SpanId), Assert.Single(batch.Order));
        Assert.Equal("Hi", batch.Spans[(TraceId, SpanId)].Input[0].Message.Content);
    }
}
