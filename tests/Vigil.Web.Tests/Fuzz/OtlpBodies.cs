using System.Text;
using CsCheck;
using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;
using static Vigil.Web.Tests.Fuzz.FuzzGen;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>
/// OTLP requests in both encodings: built as protobuf messages (ids of every length, times of every size, attributes nested
/// past the decoder's recursion limit, GenAI message attributes holding broken JSON) and as OTLP/JSON text (wrong types,
/// bad hex, hostile strings), each also mutated byte by byte.
/// </summary>
internal static class OtlpBodies
{
    /// <summary>Keys Vigil reads into typed columns or input/output, and a few it does not.</summary>
    private static readonly string[] Keys =
    [
        "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.response.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
        "gen_ai.provider.name", "gen_ai.system", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
        "openinference.span.kind", "llm.model_name", "llm.token_count.prompt", "llm.token_count.completion", "input.value", "output.value",
        "input.mime_type", "llm.input_messages.0.message.role", "llm.input_messages.1.message.content", "llm.output_messages.0.message.content",
        "llm.input_messages.2147483647.message.contents.0.message_content.text", "gen_ai.prompt.0.content", "gen_ai.completion.0.role",
        "llm.invocation_parameters", "gen_ai.request.temperature", "gen_ai.request.max_tokens", "gen_ai.request.top_p",
        "gen_ai.request.stop_sequences", "gen_ai.response.finish_reasons", "gen_ai.tool.call.arguments", "service.name", "session.id",
        "user.id", "exception.type", "exception.message", "exception.stacktrace", "", "custom.key",
    ];

    private static readonly string[] OperationsAndKinds = ["chat", "completion", "embeddings", "execute_tool", "invoke_agent", "LLM", "TOOL", "AGENT", "RETRIEVER", "x"];

    private static readonly string[] EventNames =
        ["exception", "gen_ai.user.message", "gen_ai.system.message", "gen_ai.assistant.message", "gen_ai.tool.message", "gen_ai.choice", "other"];

    /// <summary>GenAI message JSON, sometimes broken: what instrumentations put into string attributes.</summary>
    private static readonly Gen<string> MessageJson = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf(Gen.Const("user"), Gen.Const("assistant"), Gen.Const("system"), Gen.Const("tool")), Gen.String[0, 20])
            .Select((role, text) => $$"""[{"role":"{{role}}","parts":[{"type":"text","content":{{Encoding.UTF8.GetString(JsonText.Str(text))}}}]}]""")),
        (1, Gen.Const("""[{"role":"assistant","parts":[{"type":"tool_call","id":"c1","name":"f","arguments":{"a":1}}],"finish_reason":"stop"}]""")),
        (1, Gen.Const("""{"role":"user","content":"hi"}""")),
        (1, Gen.Const("[{\"role\":\"user\",\"parts\":")),
        (1, Gen.Const("[" + string.Concat(Enumerable.Repeat("[", 200)))),
        (1, Gen.Const("""[{"role":"user","content":"\ud800"}]""")),
        (1, Gen.Const("""[{"role":1,"parts":[{"type":2,"content":{"x":[1e400]}}]}]""")),
        (1, Gen.String[0, 30]));

    private static readonly Gen<ByteString> Id16 = IdOf(16);
    private static readonly Gen<ByteString> Id8 = IdOf(8);

    private static Gen<ByteString> IdOf(int length) => Gen.Frequency(
        (12, Gen.Byte.Array[length].Select(b => ByteString.CopyFrom(b))),
        (1, Gen.Const(ByteString.CopyFrom(new byte[length]))),
        (1, Gen.Byte.Array[0, 20].Select(b => ByteString.CopyFrom(b))));

    // ---- protobuf ----

    private static readonly Gen<AnyValue> ProtoValue = Gen.Recursive<AnyValue>((depth, inner) => Gen.Frequency(
        (4, Gen.String[0, 20].Select(s => new AnyValue { StringValue = s })),
        (2, MessageJson.Select(s => new AnyValue { StringValue = s })),
        (2, Gen.Long.Select(l => new AnyValue { IntValue = l })),
        (2, Gen.OneOf(Gen.Double, Gen.OneOf(Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity), Gen.Const(-0.0), Gen.Const(1e308)))
            .Select(d => new AnyValue { DoubleValue = d })),
        (1, Gen.Bool.Select(b => new AnyValue { BoolValue = b })),
        (1, Gen.Byte.Array[0, 16].Select(b => new AnyValue { BytesValue = ByteString.CopyFrom(b) })),
        (1, Gen.Const(() => new AnyValue())),
        (depth < 3 ? 2 : 0, inner.Array[0, 3].Select(items => new AnyValue { ArrayValue = new ArrayValue { Values = { items } } })),
        (depth < 3 ? 2 : 0, Gen.Select(Gen.String[0, 6], inner).Array[0, 3]
            .Select(kvs => new AnyValue { KvlistValue = new KeyValueList { Values = { kvs.Select(kv => new KeyValue { Key = kv.Item1, Value = kv.Item2 }) } } })),
        // A chain past the protobuf decoder's recursion limit (100) and past the JSON depth limit.
        (depth == 0 ? 1 : 0, Gen.Int[20, 160].Select(Nested))));

    private static AnyValue Nested(int depth)
    {
        var value = new AnyValue { StringValue = "bottom" };
        for (var i = 0; i < depth; i++)
            value = i % 2 == 0
                ? new AnyValue { ArrayValue = new ArrayValue { Values = { value } } }
                : new AnyValue { KvlistValue = new KeyValueList { Values = { new KeyValue { Key = "k", Value = value } } } };
        return value;
    }

    private static readonly Gen<KeyValue> ProtoAttribute = Gen.Select(Gen.Int[0, Keys.Length - 1], ProtoValue, Gen.Int[0, OperationsAndKinds.Length - 1])
        .Select((k, v, op) => new KeyValue
        {
            Key = Keys[k],
            Value = Keys[k] is "gen_ai.operation.name" or "openinference.span.kind" ? new AnyValue { StringValue = OperationsAndKinds[op] } : v,
        });

    private static readonly Gen<Span.Types.Event> ProtoEvent = Gen.Select(Gen.Int[0, EventNames.Length - 1], Gen.ULong, ProtoAttribute.Array[0, 3])
        .Select((n, time, attributes) => new Span.Types.Event { Name = EventNames[n], TimeUnixNano = time, Attributes = { attributes } });

    internal static readonly Gen<ulong> Nanos = Gen.Frequency(
        (6, Gen.ULong[1_767_225_600_000_000_000, 1_767_312_000_000_000_000]),
        (1, Gen.ULong),
        (1, Gen.Const(0UL)));

    private static readonly Gen<Span> ProtoSpan = Gen.Select(Id16, Id8, Gen.Frequency((3, Gen.Const(ByteString.Empty)), (2, Id8)),
            Gen.Frequency((5, Gen.String[1, 20]), (1, Gen.Const("")), (1, Gen.Int[500, 700].Select(n => new string('n', n)))),
            Gen.Int[-1, 7], Nanos, Nanos)
        .SelectMany((trace, span, parent, name, kind, start, end) => Gen.Select(ProtoAttribute.Array[0, 8], ProtoEvent.Array[0, 3], Gen.Int[-1, 4], Gen.String[0, 10])
            .Select((attributes, events, status, message) => new Span
            {
                TraceId = trace, SpanId = span, ParentSpanId = parent, Name = name, Kind = (Span.Types.SpanKind)kind,
                StartTimeUnixNano = start, EndTimeUnixNano = end, Attributes = { attributes }, Events = { events },
                Status = status < 0 ? null : new Status { Code = (Status.Types.StatusCode)status, Message = message },
            }));

    public static readonly Gen<ExportTraceServiceRequest> ProtoRequest = Gen.Select(
            ProtoAttribute.Array[0, 3], Gen.String[0, 10], Gen.Frequency((12, ProtoSpan.Array[0, 6]), (1, ProtoSpan.Array[45, 60])))
        .Select((resource, scope, spans) => new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Vigil.Core.Ingest.Otlp.Proto.Resource { Attributes = { resource } },
                    ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = scope }, Spans = { spans } } },
                },
            },
        });

    public static readonly Gen<byte[]> Protobuf = Gen.Frequency(
        (10, ProtoRequest.Select(r => r.ToByteArray())),
        (10, Mutations.Of(ProtoRequest.Select(r => r.ToByteArray()))),
        (1, Gen.Byte.Array[0, 200]),
        (1, Gen.Const(Array.Empty<byte>())));

    // ---- OTLP/JSON ----

    /// <summary>Clean requests (every value of the right type and range) and dirty ones (anything anywhere).</summary>
    private sealed class JsonSpec(bool dirty)
    {
        private Gen<(string Key, byte[] Value)?> F(string key, Gen<byte[]> good) =>
            dirty ? Field(key, good) : Gen.Frequency((7, good.Select(v => ((string, byte[])?)(key, v))), (2, Gen.Const(default((string, byte[])?))));

        private Gen<(string Key, byte[] Value)?> Required(string key, Gen<byte[]> good) =>
            dirty ? Field(key, good) : good.Select(v => ((string, byte[])?)(key, v));

        private Gen<byte[]> T => dirty ? Text : Gen.String[Gen.Char['!', '~'], 1, 24].Select(JsonText.Str);
        private Gen<byte[]> N => dirty ? Number : Gen.Int[0, 100_000].Select(n => JsonText.Utf8(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        private Gen<byte[]> Hex(int bytes) => Gen.Frequency(
            (12, Gen.Byte.Array[bytes].Select(b => JsonText.Str(Convert.ToHexStringLower(b)))),
            (1, Gen.Byte.Array[bytes].Select(b => JsonText.Str(Convert.ToBase64String(b)))),
            (dirty ? 1 : 0, Gen.Const(JsonText.Str(new string('0', bytes * 2)))),
            (dirty ? 1 : 0, Gen.String[0, 40].Select(JsonText.Str)),
            (dirty ? 1 : 0, Number));

        private Gen<byte[]> Value => Gen.Recursive<byte[]>((depth, inner) => Gen.Frequency(
            (4, Object(Required("stringValue", T))),
            (2, MessageJson.Select(s => JsonText.Obj([("stringValue", JsonText.Str(s))]))),
            (2, Object(Required("intValue", Gen.OneOf(N, N.Select(n => JsonText.RawStr(n)))))),
            (2, Object(Required("doubleValue", dirty ? Gen.OneOf(Number, OneOfStr("NaN", "Infinity", "-Infinity", "1e400", "x")) : Gen.OneOf(N, OneOfStr("NaN", "1.5"))))),
            (1, Object(Required("boolValue", dirty ? Gen.OneOf(Gen.Const("true"u8.ToArray()), Number) : Gen.Const("true"u8.ToArray())))),
            (1, Object(Required("bytesValue", dirty ? Gen.OneOf(OneOfStr("AAEC", "not base64!", ""), Text) : OneOfStr("AAEC", "")))),
            (depth < 3 ? 2 : 0, inner.Array[0, 3].Select(items => JsonText.Obj([("arrayValue", JsonText.Obj([("values", JsonText.Arr(items))]))]))),
            (depth < 3 ? 2 : 0, Gen.Select(Gen.String[0, 6], inner).Array[0, 3].Select(kvs =>
                JsonText.Obj([("kvlistValue", JsonText.Obj([("values", JsonText.Arr(kvs.Select(kv => JsonText.Obj([("key", JsonText.Str(kv.Item1)), ("value", kv.Item2)]))))]))]))),
            (dirty ? 1 : 0, JsonText.AnyValue)));

        private Gen<byte[]> Attribute => Gen.Select(Gen.Int[0, Keys.Length - 1], Value, Gen.Int[0, OperationsAndKinds.Length - 1])
            .Select((k, v, op) => JsonText.Obj([("key", JsonText.Str(Keys[k])),
                ("value", Keys[k] is "gen_ai.operation.name" or "openinference.span.kind" ? JsonText.Obj([("stringValue", JsonText.Str(OperationsAndKinds[op]))]) : v)]));

        private Gen<byte[]> Attributes => Gen.Frequency((8, Attribute.Array[0, 6].Select(JsonText.Arr)), (dirty ? 1 : 0, JsonText.AnyValue));

        private Gen<byte[]> Nanos => Gen.Frequency(
            (6, OtlpBodies.Nanos.Select(n => JsonText.Str(n.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            (2, OtlpBodies.Nanos.Select(n => JsonText.Utf8(n.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            (dirty ? 2 : 0, Number));

        private Gen<byte[]> Event => Object(
            F("name", Gen.OneOf(Gen.Int[0, EventNames.Length - 1].Select(i => JsonText.Str(EventNames[i])), T)),
            F("timeUnixNano", Nanos),
            F("attributes", Attributes));

        private Gen<byte[]> Span => Object(
            Required("traceId", Hex(16)),
            Required("spanId", Hex(8)),
            F("parentSpanId", Hex(8)),
            Required("name", T),
            F("kind", dirty ? Gen.OneOf(Gen.Int[-1, 7].Select(Int), OneOfStr("SPAN_KIND_CLIENT", "server", "3", "x"), Number) : Gen.Int[0, 5].Select(Int)),
            F("startTimeUnixNano", Nanos),
            F("endTimeUnixNano", Nanos),
            F("attributes", Attributes),
            F("events", Event.Array[0, 3].Select(JsonText.Arr)),
            F("links", Object(F("traceId", Hex(16)), F("spanId", Hex(8)), F("attributes", Attributes)).Array[0, 2].Select(JsonText.Arr)),
            F("status", Object(F("code", dirty ? Gen.OneOf(Gen.Int[-1, 4].Select(Int), OneOfStr("STATUS_CODE_ERROR", "OK", "bad")) : Gen.Int[0, 2].Select(Int)),
                F("message", T))));

        private static byte[] Int(int n) => JsonText.Utf8(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>Every request starts with <c>resourceSpans</c> so the server reads it as OTLP.</summary>
        public Gen<byte[]> Request => Object(
            Required("resourceSpans", Object(
                F("resource", Object(F("attributes", Attributes))),
                Required("scopeSpans", Object(
                    F("scope", Object(F("name", T), F("version", T))),
                    Required("spans", Gen.Frequency((12, Span.Array[1, 6]), (dirty ? 1 : 0, Span.Array[45, 60])).Select(JsonText.Arr))).Array[1, 2].Select(JsonText.Arr)))
                .Array[1, 2].Select(JsonText.Arr)));
    }

    private static readonly Gen<byte[]> JsonRequest = Gen.OneOf(new JsonSpec(dirty: false).Request, new JsonSpec(dirty: true).Request);

    public static readonly Gen<byte[]> Json = Gen.Frequency(
        (10, JsonRequest),
        (10, Mutations.Of(JsonRequest)),
        (1, JsonText.Deep.Select(d => JsonText.Concat("{\"resourceSpans\":"u8.ToArray(), d, "}"u8.ToArray()))),
        (1, JsonText.AnyValue.Select(v => JsonText.Concat("{\"resourceSpans\":"u8.ToArray(), v, "}"u8.ToArray()))));
}
