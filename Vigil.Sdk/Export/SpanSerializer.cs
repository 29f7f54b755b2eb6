using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Export;

/// <summary>
/// Writes batches in the native Vigil format with a <see cref="Utf8JsonWriter"/>. Runs on the exporter's
/// thread only, so user values (inputs, outputs, metadata) are serialized off the caller's thread.
/// </summary>
internal sealed class SpanSerializer
{
    private const string TruncationMarker = "…[truncated]";
    private readonly int _maxFieldBytes;
    private readonly string? _projectId;
    private readonly Utf8JsonWriter _writer;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(4 * 1024);
    private readonly Utf8JsonWriter _scratchWriter;

    // Pre-encoded names and enum values: the writer copies their UTF-8 bytes instead of transcoding and
    // escape-checking the same strings for every span.
    private static readonly JsonEncodedText SpansName = JsonEncodedText.Encode("spans");
    private static readonly JsonEncodedText ProjectIdName = JsonEncodedText.Encode("project_id");
    private static readonly JsonEncodedText SpanIdName = JsonEncodedText.Encode("span_id");
    private static readonly JsonEncodedText TraceIdName = JsonEncodedText.Encode("trace_id");
    private static readonly JsonEncodedText ParentSpanIdName = JsonEncodedText.Encode("parent_span_id");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText InputName = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText OutputName = JsonEncodedText.Encode("output");
    private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
    private static readonly JsonEncodedText EventsName = JsonEncodedText.Encode("events");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText AttributesName = JsonEncodedText.Encode("attributes");
    private static readonly JsonEncodedText StartTimeName = JsonEncodedText.Encode("start_time");
    private static readonly JsonEncodedText EndTimeName = JsonEncodedText.Encode("end_time");
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText ProviderName = JsonEncodedText.Encode("provider");
    private static readonly JsonEncodedText UsageName = JsonEncodedText.Encode("usage");
    private static readonly JsonEncodedText InputTokensName = JsonEncodedText.Encode("input_tokens");
    private static readonly JsonEncodedText OutputTokensName = JsonEncodedText.Encode("output_tokens");
    private static readonly JsonEncodedText CostUsdName = JsonEncodedText.Encode("cost_usd");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText SessionIdName = JsonEncodedText.Encode("session_id");
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText ScoresName = JsonEncodedText.Encode("scores");
    private static readonly JsonEncodedText CommentName = JsonEncodedText.Encode("comment");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText SdkSource = JsonEncodedText.Encode("sdk");
    private static readonly JsonEncodedText[] KindValues =
        Enum.GetValues<SpanKind>().Select(k => JsonEncodedText.Encode(WireNames.Of(k))).ToArray();
    private static readonly JsonEncodedText[] StatusValues =
        Enum.GetValues<SpanStatus>().Select(k => JsonEncodedText.Encode(WireNames.Of(k))).ToArray();

    internal static readonly JsonSerializerOptions ValueOptions = new()
    {
        // Source-generated metadata for the shapes the SDK itself builds; reflection for user types.
        // No ReferenceHandler: it allocates a resolver per call; a cyclic value hits MaxDepth and is reported instead.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(SdkJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 32,
    };

    public SpanSerializer(int maxFieldBytes, string? projectId)
    {
        _maxFieldBytes = maxFieldBytes;
        _projectId = string.IsNullOrEmpty(projectId) ? null : projectId;
        var writerOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
        _writer = new Utf8JsonWriter(_buffer, writerOptions);
        _scratchWriter = new Utf8JsonWriter(_scratch, writerOptions);
    }

    /// <summary>Serializes the batch; the memory stays valid until the next call.</summary>
    public ReadOnlyMemory<byte> Serialize(IReadOnlyList<VigilSpan> spans)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var w = _writer;
        w.WriteStartObject();
        w.WriteStartArray(SpansName);
        for (var i = 0; i < spans.Count; i++)
        {
            WriteSpan(w, spans[i]);
        }
        w.WriteEndArray();
        if (_projectId is not null) w.WriteString(ProjectIdName, _projectId);
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenMemory;
    }

    private void WriteSpan(Utf8JsonWriter w, VigilSpan span)
    {
        Span<byte> id = stackalloc byte[32];
        w.WriteStartObject();
        Ids.WriteHex(span.SpanIdValue, id);
        w.WriteString(SpanIdName, id[..16]);
        // Random trace ids are formatted here, not as a string on the trace (one string per trace saved).
        if (span.Trace.TryFormatTraceId(id)) w.WriteString(TraceIdName, id);
        else w.WriteString(TraceIdName, span.TraceId);
        if (span.ParentIdValue != 0)
        {
            Ids.WriteHex(span.ParentIdValue, id);
            w.WriteString(ParentSpanIdName, id[..16]);
        }
        else
        {
            w.WriteNull(ParentSpanIdName);
        }
        w.WriteString(NameName, span.Name.Length > 512 ? span.Name.AsSpan(0, 512) : span.Name);
        w.WriteString(KindName, Wire(KindValues, (int)span.Kind));
        w.WriteString(StatusName, Wire(StatusValues, (int)span.Status));
        WriteObjectField(w, InputName, span.InputValue);
        WriteObjectField(w, OutputName, span.OutputValue);

        var metadata = span.MetadataValues;
        var extras = span.Extras;
        if (extras?.StatusMessage is not null && span.Status == SpanStatus.Error)
        {
            metadata = metadata is null ? new Dictionary<string, object?>(1) : new Dictionary<string, object?>(metadata);
            metadata.TryAdd("status_message", extras.StatusMessage);
        }
        WriteObjectField(w, MetadataName, metadata);

        w.WriteStartArray(EventsName);
        if (span.EventList is { } events)
        {
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString(NameName, e.Name);
                w.WriteString(TimestampName, e.Timestamp.UtcDateTime);
                w.WritePropertyName(AttributesName);
                if (e.Attributes is null) { w.WriteStartObject(); w.WriteEndObject(); }
                else WriteValue(w, e.Attributes);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteString(StartTimeName, new DateTime(span.StartTicks, DateTimeKind.Utc));
        if (span.EndTicks != 0) w.WriteString(EndTimeName, new DateTime(span.EndTicks, DateTimeKind.Utc));
        else w.WriteNull(EndTimeName);
        if (extras is not null)
        {
            if (extras.Model is not null) w.WriteString(ModelName, extras.Model);
            if (extras.Provider is not null) w.WriteString(ProviderName, extras.Provider);
            if (extras.InputTokens is not null || extras.OutputTokens is not null)
            {
                w.WriteStartObject(UsageName);
                if (extras.InputTokens is { } it) w.WriteNumber(InputTokensName, it);
                if (extras.OutputTokens is { } ot) w.WriteNumber(OutputTokensName, ot);
                w.WriteEndObject();
            }
            if (extras.CostUsd is { } cost) w.WriteNumber(CostUsdName, cost);
            if (extras.SessionId is not null) w.WriteString(SessionIdName, extras.SessionId);
            if (extras.UserId is not null) w.WriteString(UserIdName, extras.UserId);
            if (extras.Scores is { Count: > 0 } scores)
            {
                w.WriteStartArray(ScoresName);
                foreach (var score in scores) WriteScore(w, score.Name, score.Value, score.Comment);
                w.WriteEndArray();
            }
        }
        w.WriteEndObject();
    }

    private static void WriteScore(Utf8JsonWriter w, string name, object value, string? comment)
    {
        w.WriteStartObject();
        WriteScoreFields(w, name, value, comment);
        w.WriteEndObject();
    }

    private static void WriteScoreFields(Utf8JsonWriter w, string name, object value, string? comment)
    {
        w.WriteString(NameName, name);
        switch (value)
        {
            case bool b: w.WriteBoolean(ValueName, b); break;
            case double d: w.WriteNumber(ValueName, d); break;
            default: w.WriteString(ValueName, value.ToString()); break;
        }
        if (comment is not null) w.WriteString(CommentName, comment);
        w.WriteString(SourceName, SdkSource);
    }

    /// <summary>The body of <c>POST /v1/scores</c> for one score (value already normalized by <see cref="SpanScore.Normalize"/>).</summary>
    public static byte[] Score(string traceId, string? spanId, string name, object value, string? comment)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString(TraceIdName, traceId);
            if (spanId is not null) w.WriteString(SpanIdName, spanId);
            WriteScoreFields(w, name, value, comment);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    // Enum values index the arrays (both enums are dense from 0); an unknown value falls back to the first name.
    private static JsonEncodedText Wire(JsonEncodedText[] values, int value) => (uint)value < (uint)values.Length ? values[value] : values[0];

    /// <summary>
    /// Input, output and metadata must be JSON objects on the wire: scalars and arrays are wrapped as
    /// <c>{"value": ...}</c>; values over the byte limit become a preview with a visible truncation marker.
    /// </summary>
    private void WriteObjectField(Utf8JsonWriter w, JsonEncodedText name, object? value)
    {
        w.WritePropertyName(name);
        if (value is null)
        {
            w.WriteNullValue();
            return;
        }
        if (value is string s)
        {
            w.WriteStartObject();
            WriteTruncatedString(w, ValueName, s);
            w.WriteEndObject();
            return;
        }

        _scratch.ResetWrittenCount();
        _scratchWriter.Reset(_scratch);
        try
        {
            WriteValue(_scratchWriter, value);
            _scratchWriter.Flush();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            _scratchWriter.Reset(_scratch);
            w.WriteStartObject();
            w.WriteString("_error", $"not serializable: {value.GetType().Name}: {e.Message}");
            w.WriteEndObject();
            return;
        }

        var json = _scratch.WrittenSpan;
        if (json.Length > _maxFieldBytes)
        {
            w.WriteStartObject();
            w.WriteBoolean("_truncated", true);
            w.WriteNumber("_original_bytes", json.Length);
            w.WriteString("preview", Encoding.UTF8.GetString(json[.._maxFieldBytes]) + TruncationMarker);
            w.WriteEndObject();
        }
        else if (json.Length > 0 && json[0] == (byte)'{')
        {
            w.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            w.WriteStartObject();
            w.WritePropertyName(ValueName);
            w.WriteRawValue(json, skipInputValidation: true);
            w.WriteEndObject();
        }
    }

    private void WriteTruncatedString(Utf8JsonWriter w, JsonEncodedText name, string s)
    {
        // Cheap upper bound first: UTF-8 is at most 3 bytes per UTF-16 char.
        if (s.Length * 3 <= _maxFieldBytes || Encoding.UTF8.GetByteCount(s) <= _maxFieldBytes)
        {
            w.WriteString(name, s);
            return;
        }
        var chars = Math.Min(s.Length, _maxFieldBytes);
        while (chars > 0 && Encoding.UTF8.GetByteCount(s.AsSpan(0, chars)) > _maxFieldBytes) chars = chars * 9 / 10;
        if (chars > 0 && char.IsHighSurrogate(s[chars - 1])) chars--;
        w.WriteString(name, string.Concat(s.AsSpan(0, chars), TruncationMarker));
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case JsonNode node:
                node.WriteTo(w, ValueOptions);
                break;
            case JsonElement element:
                element.WriteTo(w);
                break;
            default:
                JsonSerializer.Serialize(w, value, value.GetType(), ValueOptions);
                break;
        }
    }
}

[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, object?>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(object[]))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class SdkJsonContext : JsonSerializerContext;
