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
        w.WriteStartArray("spans");
        for (var i = 0; i < spans.Count; i++)
        {
            WriteSpan(w, spans[i]);
        }
        w.WriteEndArray();
        if (_projectId is not null) w.WriteString("project_id", _projectId);
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenMemory;
    }

    private void WriteSpan(Utf8JsonWriter w, VigilSpan span)
    {
        Span<char> id = stackalloc char[16];
        w.WriteStartObject();
        Ids.TryFormat(span.SpanIdValue, id);
        w.WriteString("span_id", id);
        w.WriteString("trace_id", span.TraceId);
        if (span.ParentIdValue != 0)
        {
            Ids.TryFormat(span.ParentIdValue, id);
            w.WriteString("parent_span_id", id);
        }
        else
        {
            w.WriteNull("parent_span_id");
        }
        w.WriteString("name", span.Name.Length > 512 ? span.Name[..512] : span.Name);
        w.WriteString("kind", WireNames.Of(span.Kind));
        w.WriteString("status", WireNames.Of(span.Status));
        WriteObjectField(w, "input", span.InputValue);
        WriteObjectField(w, "output", span.OutputValue);

        var metadata = span.MetadataValues;
        var extras = span.Extras;
        if (extras?.StatusMessage is not null && span.Status == SpanStatus.Error)
        {
            metadata = metadata is null ? new Dictionary<string, object?>(1) : new Dictionary<string, object?>(metadata);
            metadata.TryAdd("status_message", extras.StatusMessage);
        }
        WriteObjectField(w, "metadata", metadata);

        w.WriteStartArray("events");
        if (span.EventList is { } events)
        {
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString("name", e.Name);
                w.WriteString("timestamp", e.Timestamp.UtcDateTime);
                w.WritePropertyName("attributes");
                if (e.Attributes is null) { w.WriteStartObject(); w.WriteEndObject(); }
                else WriteValue(w, e.Attributes);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteString("start_time", new DateTime(span.StartTicks, DateTimeKind.Utc));
        if (span.EndTicks != 0) w.WriteString("end_time", new DateTime(span.EndTicks, DateTimeKind.Utc));
        else w.WriteNull("end_time");
        if (extras is not null)
        {
            if (extras.Model is not null) w.WriteString("model", extras.Model);
            if (extras.Provider is not null) w.WriteString("provider", extras.Provider);
            if (extras.InputTokens is not null || extras.OutputTokens is not null)
            {
                w.WriteStartObject("usage");
                if (extras.InputTokens is { } it) w.WriteNumber("input_tokens", it);
                if (extras.OutputTokens is { } ot) w.WriteNumber("output_tokens", ot);
                w.WriteEndObject();
            }
            if (extras.CostUsd is { } cost) w.WriteNumber("cost_usd", cost);
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// Input, output and metadata must be JSON objects on the wire: scalars and arrays are wrapped as
    /// <c>{"value": ...}</c>; values over the byte limit become a preview with a visible truncation marker.
    /// </summary>
    private void WriteObjectField(Utf8JsonWriter w, string name, object? value)
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
            WriteTruncatedString(w, "value", s);
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
            w.WritePropertyName("value");
            w.WriteRawValue(json, skipInputValidation: true);
            w.WriteEndObject();
        }
    }

    private void WriteTruncatedString(Utf8JsonWriter w, string name, string s)
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
