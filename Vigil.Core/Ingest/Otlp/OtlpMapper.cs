using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Core.Traces;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// Maps an OTLP <see cref="ExportTraceServiceRequest"/> (from protobuf or OTLP/JSON) onto the transport-neutral
/// <see cref="IngestBatch"/>, following DESIGN.md "OTLP mapping". A span with a bad id or no name gets
/// <see cref="IngestError"/>s with its index, so <see cref="IngestMode.DropInvalid"/> drops just that span
/// (OTLP partial success). One instance maps one request; its JSON buffers are reused from span to span.
/// </summary>
public sealed class OtlpMapper
{
    /// <summary>Relaxed escaping: the JSON is stored and shown as data, never inlined into HTML, so keep non-ASCII readable.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IngestOptions _limits;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    // Events are written while the metadata writer is mid-object, so they need a buffer and writer of their own.
    private readonly ArrayBufferWriter<byte> _eventsBuffer = new(1024);
    private readonly Utf8JsonWriter _eventsWriter;
    private readonly LlmAttributes _llm = new();
    private readonly List<ChatMessage> _input = [];
    private readonly List<ChatMessage> _output = [];
    private readonly List<ChatMessage> _eventInput = [];
    private readonly List<ChatMessage> _eventOutput = [];

    private OtlpMapper(IngestOptions limits)
    {
        _limits = limits;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        _eventsWriter = new Utf8JsonWriter(_eventsBuffer, WriterOptions);
    }

    public static IngestBatch Map(ExportTraceServiceRequest request, IngestOptions limits)
    {
        var count = 0;
        foreach (var rs in request.ResourceSpans)
            foreach (var ss in rs.ScopeSpans)
                count += ss.Spans.Count;
        if (count > limits.MaxSpansPerBatch)
            throw new IngestFormatException($"The request has {count} spans; the limit is {limits.MaxSpansPerBatch} per request.", "Vigil:Ingest:MaxSpansPerBatch");

        var batch = new IngestBatch();
        batch.Spans.Capacity = count;
        var mapper = new OtlpMapper(limits);
        foreach (var rs in request.ResourceSpans)
        {
            var resource = mapper.ReadResource(rs.Resource);
            foreach (var ss in rs.ScopeSpans)
                foreach (var span in ss.Spans)
                    batch.Spans.Add(mapper.MapSpan(span, batch.Spans.Count, resource, ss.Scope, batch.Errors));
        }
        return batch;
    }

    /// <summary>service.name plus the other resource attributes, serialized once per resource and shared by its spans.</summary>
    private sealed record ResourceInfo(string? ServiceName, byte[]? OtherAttributesJson, OtlpSessionAttributes Session = default);

    private ResourceInfo ReadResource(Resource? resource)
    {
        if (resource is null || resource.Attributes.Count == 0) return new ResourceInfo(null, null);
        var session = OtlpSessionAttributes.Read(resource.Attributes);
        string? serviceName = null;
        var w = Begin();
        w.WriteStartObject();
        var others = 0;
        foreach (var kv in resource.Attributes)
        {
            if (kv.Key == "service.name") { serviceName = OtlpValueWriter.AsString(kv.Value); continue; }
            OtlpValueWriter.Write(w, kv);
            others++;
        }
        w.WriteEndObject();
        w.Flush();
        return new ResourceInfo(serviceName, others > 0 ? _buffer.WrittenSpan.ToArray() : null, session);
    }

    private SpanInput MapSpan(Span span, int index, ResourceInfo resource, InstrumentationScope? scope, List<IngestError> errors)
    {
        var s = new SpanInput
        {
            TraceId = OtlpIds.ToHex(span.TraceId, OtlpIds.TraceIdBytes),
            SpanId = OtlpIds.ToHex(span.SpanId, OtlpIds.SpanIdBytes),
            Name = span.Name,
            StartTime = FromUnixNanos(span.StartTimeUnixNano),
            EndTime = FromUnixNanos(span.EndTimeUnixNano),
        };
        if (s.TraceId is null)
            errors.Add(new IngestError(index, "trace_id", "must be a 16-byte id (32 hex characters in OTLP/JSON), not all zero"));
        if (s.SpanId is null)
            errors.Add(new IngestError(index, "span_id", "must be an 8-byte id (16 hex characters in OTLP/JSON), not all zero"));
        // An all-zero parent is what some SDKs send for "no parent"; only a wrong length is an error.
        if (span.ParentSpanId.Length == OtlpIds.SpanIdBytes) s.ParentSpanId = OtlpIds.ToHex(span.ParentSpanId, OtlpIds.SpanIdBytes);
        else if (span.ParentSpanId.Length != 0)
            errors.Add(new IngestError(index, "parent_span_id", "must be empty or an 8-byte id (16 hex characters in OTLP/JSON)"));
        if (string.IsNullOrEmpty(span.Name))
            errors.Add(new IngestError(index, "name", "is required"));

        _llm.Clear();
        _input.Clear(); _output.Clear(); _eventInput.Clear(); _eventOutput.Clear();

        // Metadata first: the single pass over the attributes also collects the LLM conventions.
        var w = Begin();
        w.WriteStartObject();
        if (resource.ServiceName is { } service) w.WriteString("service.name", service);
        if (scope is { Name.Length: > 0 }) w.WriteString("otel.scope.name", scope.Name);
        if (scope is { Version.Length: > 0 }) w.WriteString("otel.scope.version", scope.Version);
        if (SpanKindName(span.Kind) is { } otelKind) w.WriteString("otel.span_kind", otelKind);
        w.WriteStartObject("attributes");
        foreach (var kv in span.Attributes)
            if (!_llm.Collect(kv)) OtlpValueWriter.Write(w, kv);
        w.WriteEndObject();

        var exception = WriteEvents(span, out var eventsJson, out var scores);
        s.Events = eventsJson;
        s.Scores = scores;
        (s.SessionId, s.UserId) = OtlpSessionAttributes.Read(span.Attributes).Over(resource.Session);

        var status = span.Status?.Code ?? Status.Types.StatusCode.Unset;
        // A recorded exception makes the span an error unless the application explicitly said OK (which is final in OTLP).
        var isError = status == Status.Types.StatusCode.Error || (exception is not null && status != Status.Types.StatusCode.Ok);
        s.Status = isError ? SpanStatus.Error : status == Status.Types.StatusCode.Ok ? SpanStatus.Ok : SpanStatus.Unset;
        if (isError)
        {
            w.WriteStartObject("error");
            if (exception?.Type is { } type) w.WriteString("type", type);
            if ((exception?.Message ?? NullIfEmpty(span.Status?.Message)) is { } message) w.WriteString("message", message);
            if (exception?.StackTrace is { } stack) w.WriteString("stacktrace", stack);
            w.WriteEndObject();
        }
        if (span.Links.Count > 0) WriteLinks(w, span);
        if (resource.OtherAttributesJson is { } resourceJson)
        {
            w.WritePropertyName("resource");
            w.WriteRawValue(resourceJson, skipInputValidation: true);
        }
        w.WriteEndObject();
        s.Metadata = Take(index, "metadata", errors);

        s.Kind = OtlpKindMapper.FromConventions(_llm.OpenInferenceKind, _llm.GenAiOperation);
        s.Model = _llm.Model;
        s.Provider = _llm.Provider;
        s.InputTokens = _llm.InputTokens ?? _llm.PromptTokens;
        s.OutputTokens = _llm.OutputTokens ?? _llm.CompletionTokens;

        CollectMessages();
        if (LlmPayloadWriter.WriteInput(Begin(), _llm, _input, s.Kind)) s.Input = Take(index, "input", errors);
        if (LlmPayloadWriter.WriteOutput(Begin(), _llm, _output, s.Kind, s.InputTokens, s.OutputTokens)) s.Output = Take(index, "output", errors);
        return s;
    }

    /// <summary>Chooses one source of messages: GenAI attributes › OpenInference/Traceloop indexed attributes › GenAI events.</summary>
    private void CollectMessages()
    {
        if (_llm.SystemInstructions is { } system && GenAiMessageReader.ReadSystemInstructions(system) is { } sys) _input.Add(sys);
        if (_llm.InputMessages is { } inMessages) GenAiMessageReader.ReadMessages(inMessages, _input);
        else if (_llm.IndexedInput.Count > 0)
            foreach (var m in _llm.IndexedInput.Values) _input.Add(new ChatMessage(m.Role ?? "user", m.Content, FinishReason: m.FinishReason));
        else _input.AddRange(_eventInput);
        // System instructions are a separate attribute in GenAI, but some instrumentations also repeat them as a message.
        if (_input.Count > 1 && _input[0].Role == "system" && _input[1].Role == "system" && _input[0].Content == _input[1].Content) _input.RemoveAt(0);

        if (_llm.OutputMessages is { } outMessages) GenAiMessageReader.ReadMessages(outMessages, _output);
        else if (_llm.IndexedOutput.Count > 0)
            foreach (var m in _llm.IndexedOutput.Values) _output.Add(new ChatMessage(m.Role ?? "assistant", m.Content, FinishReason: m.FinishReason));
        else _output.AddRange(_eventOutput);
    }

    private sealed record ExceptionInfo(string? Type, string? Message, string? StackTrace);

    /// <summary>Writes <c>[{name, timestamp, attributes}]</c>; returns the first exception event, if any, and the evaluation results as scores.</summary>
    private ExceptionInfo? WriteEvents(Span span, out string? json, out List<Scores.ScoreInput>? scores)
    {
        json = null;
        scores = null;
        if (span.Events.Count == 0) return null;
        ExceptionInfo? exception = null;
        _eventsBuffer.ResetWrittenCount();
        _eventsWriter.Reset(_eventsBuffer);
        var w = _eventsWriter;
        w.WriteStartArray();
        foreach (var ev in span.Events)
        {
            w.WriteStartObject();
            w.WriteString("name", ev.Name);
            if (FromUnixNanos(ev.TimeUnixNano) is { } time) w.WriteString("timestamp", time.UtcDateTime);
            else w.WriteNull("timestamp");
            w.WritePropertyName("attributes");
            OtlpValueWriter.WriteAttributes(w, ev.Attributes);
            w.WriteEndObject();

            if (ev.Name == "exception" && exception is null) exception = ReadException(ev);
            else if (OtlpEvaluationEvent.Read(ev) is { } score) (scores ??= []).Add(score);
            else GenAiMessageReader.ReadEvent(ev.Name, ev.Attributes, null, _eventInput, _eventOutput);
        }
        w.WriteEndArray();
        w.Flush();
        json = Encoding.UTF8.GetString(_eventsBuffer.WrittenSpan);
        return exception;
    }

    private static ExceptionInfo ReadException(Span.Types.Event ev)
    {
        string? type = null, message = null, stack = null;
        foreach (var kv in ev.Attributes)
        {
            switch (kv.Key)
            {
                case "exception.type": type = OtlpValueWriter.AsString(kv.Value); break;
                case "exception.message": message = OtlpValueWriter.AsString(kv.Value); break;
                case "exception.stacktrace": stack = OtlpValueWriter.AsString(kv.Value); break;
            }
        }
        return new ExceptionInfo(type, message, stack);
    }

    private static void WriteLinks(Utf8JsonWriter w, Span span)
    {
        w.WriteStartArray("links");
        foreach (var link in span.Links)
        {
            w.WriteStartObject();
            w.WriteString("trace_id", Convert.ToHexStringLower(link.TraceId.Span));
            w.WriteString("span_id", Convert.ToHexStringLower(link.SpanId.Span));
            if (link.Attributes.Count > 0)
            {
                w.WritePropertyName("attributes");
                OtlpValueWriter.WriteAttributes(w, link.Attributes);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>The written JSON as text, or null plus a span error when it is over the per-field limit.</summary>
    private string? Take(int index, string field, List<IngestError> errors)
    {
        _writer.Flush();
        var bytes = _buffer.WrittenSpan;
        if (bytes.Length > _limits.MaxFieldBytes)
        {
            errors.Add(new IngestError(index, field, $"is {bytes.Length} bytes; the limit is {_limits.MaxFieldBytes} bytes (Vigil:Ingest:MaxFieldBytes)"));
            return null;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>0 means "not set" in OTLP (e.g. a span that has not ended).</summary>
    internal static DateTimeOffset? FromUnixNanos(ulong nanos) =>
        nanos == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));

    private static string? SpanKindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "internal",
        Span.Types.SpanKind.Server => "server",
        Span.Types.SpanKind.Client => "client",
        Span.Types.SpanKind.Producer => "producer",
        Span.Types.SpanKind.Consumer => "consumer",
        _ => null,
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
