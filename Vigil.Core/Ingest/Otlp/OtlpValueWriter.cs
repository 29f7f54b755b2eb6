using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Collections;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>Writes OTLP attribute values as plain JSON (what a user expects to see in metadata, not the AnyValue wrapper).</summary>
internal static class OtlpValueWriter
{
    public static void WriteAttributes(Utf8JsonWriter w, RepeatedField<KeyValue> attributes)
    {
        w.WriteStartObject();
        foreach (var kv in attributes) Write(w, kv);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, KeyValue kv)
    {
        w.WritePropertyName(kv.Key);
        WriteValue(w, kv.Value);
    }

    public static void WriteValue(Utf8JsonWriter w, AnyValue? v)
    {
        switch (v?.ValueCase ?? AnyValue.ValueOneofCase.None)
        {
            case AnyValue.ValueOneofCase.StringValue: w.WriteStringValue(v!.StringValue); break;
            case AnyValue.ValueOneofCase.BoolValue: w.WriteBooleanValue(v!.BoolValue); break;
            case AnyValue.ValueOneofCase.IntValue: w.WriteNumberValue(v!.IntValue); break;
            case AnyValue.ValueOneofCase.DoubleValue:
                // JSON has no NaN/Infinity: keep them readable as strings rather than failing the span.
                if (double.IsFinite(v!.DoubleValue)) w.WriteNumberValue(v.DoubleValue);
                else w.WriteStringValue(v.DoubleValue.ToString(CultureInfo.InvariantCulture));
                break;
            case AnyValue.ValueOneofCase.BytesValue: w.WriteBase64StringValue(v!.BytesValue.Span); break;
            case AnyValue.ValueOneofCase.ArrayValue:
                w.WriteStartArray();
                foreach (var item in v!.ArrayValue.Values) WriteValue(w, item);
                w.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                w.WriteStartObject();
                foreach (var kv in v!.KvlistValue.Values) Write(w, kv);
                w.WriteEndObject();
                break;
            default: w.WriteNullValue(); break;
        }
    }

    public static string? AsString(AnyValue? v) => v?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => v.StringValue,
        AnyValue.ValueOneofCase.IntValue => v.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => v.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => v.BoolValue ? "true" : "false",
        _ => null,
    };

    /// <summary>Token counts arrive as ints, but some SDKs send doubles or strings.</summary>
    public static long? AsLong(AnyValue? v) => v?.ValueCase switch
    {
        AnyValue.ValueOneofCase.IntValue => v.IntValue,
        AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(v.DoubleValue) => (long)v.DoubleValue,
        AnyValue.ValueOneofCase.StringValue when long.TryParse(v.StringValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
