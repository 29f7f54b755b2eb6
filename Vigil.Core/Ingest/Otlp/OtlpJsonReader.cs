using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// Reads the OTLP/JSON encoding into the protobuf request so one mapper serves both encodings.
/// Google.Protobuf's <c>JsonParser</c> is not used because OTLP/JSON departs from the standard protobuf JSON mapping:
/// trace and span ids are hex, not base64. The spec's other rules are honoured here: lowerCamelCase keys (the original
/// snake_case names are accepted too), 64-bit integers as strings or numbers, enums as integers (names accepted),
/// unknown fields ignored. A value of the wrong JSON type makes the body undecodable (400); a malformed id only
/// invalidates its span (see <see cref="OtlpIds.FromHex"/>).
/// </summary>
public static partial class OtlpJsonReader
{
    public static ExportTraceServiceRequest Read(ReadOnlyMemory<byte> body, IngestOptions limits)
    {
        using var doc = IngestJson.Parse(body, limits);
        return IngestJson.Read(() => Read(doc.RootElement));
    }

    private static ExportTraceServiceRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new IngestFormatException("The body must be a JSON object with a \"resourceSpans\" array.");
        var request = new ExportTraceServiceRequest();
        foreach (var p in root.EnumerateObject())
        {
            if (p.NameEquals("resourceSpans") || p.NameEquals("resource_spans"))
                foreach (var rs in Array(p.Value, "resourceSpans"))
                    request.ResourceSpans.Add(ReadResourceSpans(rs));
        }
        return request;
    }

    /// <summary>True when a JSON body looks like OTLP (top-level <c>resourceSpans</c>) rather than the native format.</summary>
    public static bool LooksLikeOtlp(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("resourceSpans", out _) || root.TryGetProperty("resource_spans", out _));

    private static ResourceSpans ReadResourceSpans(JsonElement el)
    {
        var rs = new ResourceSpans();
        foreach (var p in Object(el, "resourceSpans[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "resource":
                    if (p.Value.ValueKind != JsonValueKind.Null) rs.Resource = ReadResource(p.Value);
                    break;
                case "scopeSpans" or "scope_spans":
                    foreach (var ss in Array(p.Value, "scopeSpans"))
                        rs.ScopeSpans.Add(ReadScopeSpans(ss));
                    break;
                case "schemaUrl" or "schema_url":
                    rs.SchemaUrl = String(p.Value, "schemaUrl");
                    break;
            }
        }
        return rs;
    }

    private static ScopeSpans ReadScopeSpans(JsonElement el)
    {
        var ss = new ScopeSpans();
        foreach (var p in Object(el, "scopeSpans[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "scope":
                    if (p.Value.ValueKind != JsonValueKind.Null) ss.Scope = ReadScope(p.Value);
                    break;
                case "spans":
                    foreach (var span in Array(p.Value, "spans"))
                        ss.Spans.Add(ReadSpan(span));
                    break;
                case "schemaUrl" or "schema_url":
                    ss.SchemaUrl = String(p.Value, "schemaUrl");
                    break;
            }
        }
        return ss;
    }

    private static Resource ReadResource(JsonElement el)
    {
        var resource = new Resource();
        foreach (var r in Object(el, "resource").EnumerateObject())
            if (r.NameEquals("attributes")) ReadAttributes(r.Value, resource.Attributes);
        return resource;
    }

    private static InstrumentationScope ReadScope(JsonElement el)
    {
        var scope = new InstrumentationScope();
        foreach (var s in Object(el, "scope").EnumerateObject())
        {
            switch (s.Name)
            {
                case "name": scope.Name = String(s.Value, "scope.name"); break;
                case "version": scope.Version = String(s.Value, "scope.version"); break;
                case "attributes": ReadAttributes(s.Value, scope.Attributes); break;
            }
        }
        return scope;
    }

    private static Span ReadSpan(JsonElement el)
    {
        var span = new Span();
        foreach (var p in Object(el, "spans[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "traceId" or "trace_id": span.TraceId = OtlpIds.FromHex(String(p.Value, "traceId")); break;
                case "spanId" or "span_id": span.SpanId = OtlpIds.FromHex(String(p.Value, "spanId")); break;
                case "parentSpanId" or "parent_span_id": span.ParentSpanId = OtlpIds.FromHex(String(p.Value, "parentSpanId")); break;
                case "traceState" or "trace_state": span.TraceState = String(p.Value, "traceState"); break;
                case "flags": span.Flags = (uint)UInt64(p.Value, "flags"); break;
                case "name": span.Name = String(p.Value, "name"); break;
                case "kind": span.Kind = (Span.Types.SpanKind)Enum(p.Value, "kind", "SPAN_KIND_"); break;
                case "startTimeUnixNano" or "start_time_unix_nano": span.StartTimeUnixNano = UInt64(p.Value, "startTimeUnixNano"); break;
                case "endTimeUnixNano" or "end_time_unix_nano": span.EndTimeUnixNano = UInt64(p.Value, "endTimeUnixNano"); break;
                case "attributes": ReadAttributes(p.Value, span.Attributes); break;
                case "droppedAttributesCount" or "dropped_attributes_count": span.DroppedAttributesCount = (uint)UInt64(p.Value, "droppedAttributesCount"); break;
                case "events":
                    foreach (var ev in Array(p.Value, "events")) span.Events.Add(ReadEvent(ev));
                    break;
                case "droppedEventsCount" or "dropped_events_count": span.DroppedEventsCount = (uint)UInt64(p.Value, "droppedEventsCount"); break;
                case "links":
                    foreach (var link in Array(p.Value, "links")) span.Links.Add(ReadLink(link));
                    break;
                case "status":
                    if (p.Value.ValueKind == JsonValueKind.Null) break;
                    var status = new Status();
                    foreach (var s in Object(p.Value, "status").EnumerateObject())
                    {
                        if (s.NameEquals("code")) status.Code = (Status.Types.StatusCode)Enum(s.Value, "status.code", "STATUS_CODE_");
                        else if (s.NameEquals("message")) status.Message = String(s.Value, "status.message");
                    }
                    span.Status = status;
                    break;
            }
        }
        return span;
    }

    private static Span.Types.Event ReadEvent(JsonElement el)
    {
        var ev = new Span.Types.Event();
        foreach (var p in Object(el, "events[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "timeUnixNano" or "time_unix_nano": ev.TimeUnixNano = UInt64(p.Value, "timeUnixNano"); break;
                case "name": ev.Name = String(p.Value, "event.name"); break;
                case "attributes": ReadAttributes(p.Value, ev.Attributes); break;
            }
        }
        return ev;
    }

    private static Span.Types.Link ReadLink(JsonElement el)
    {
        var link = new Span.Types.Link();
        foreach (var p in Object(el, "links[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "traceId" or "trace_id": link.TraceId = OtlpIds.FromHex(String(p.Value, "link.traceId")); break;
                case "spanId" or "span_id": link.SpanId = OtlpIds.FromHex(String(p.Value, "link.spanId")); break;
                case "traceState" or "trace_state": link.TraceState = String(p.Value, "link.traceState"); break;
                case "attributes": ReadAttributes(p.Value, link.Attributes); break;
            }
        }
        return link;
    }

    private static void ReadAttributes(JsonElement el, Google.Protobuf.Collections.RepeatedField<KeyValue> into)
    {
        foreach (var kv in Array(el, "attributes"))
        {
            var pair = new KeyValue();
            foreach (var p in Object(kv, "attributes[]").EnumerateObject())
            {
                if (p.NameEquals("key")) pair.Key = String(p.Value, "attribute key");
                else if (p.NameEquals("value") && p.Value.ValueKind != JsonValueKind.Null) pair.Value = ReadAnyValue(p.Value);
            }
            into.Add(pair);
        }
    }

    private static AnyValue ReadAnyValue(JsonElement el)
    {
        var value = new AnyValue();
        foreach (var p in Object(el, "attribute value").EnumerateObject())
        {
            switch (p.Name)
            {
                case "stringValue" or "string_value": value.StringValue = String(p.Value, "stringValue"); break;
                case "boolValue" or "bool_value":
                    value.BoolValue = p.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Bad("boolValue", "a boolean"),
                    };
                    break;
                case "intValue" or "int_value": value.IntValue = Int64(p.Value, "intValue"); break;
                case "doubleValue" or "double_value": value.DoubleValue = Double(p.Value, "doubleValue"); break;
                case "bytesValue" or "bytes_value":
                    // Attribute bytes stay base64 in OTLP/JSON (only trace and span ids are hex).
                    try { value.BytesValue = ByteString.FromBase64(String(p.Value, "bytesValue")); }
                    catch (FormatException) { throw Bad("bytesValue", "base64"); }
                    break;
                case "arrayValue" or "array_value":
                    var array = new ArrayValue();
                    foreach (var a in Object(p.Value, "arrayValue").EnumerateObject())
                        if (a.NameEquals("values"))
                            foreach (var item in Array(a.Value, "arrayValue.values")) array.Values.Add(ReadAnyValue(item));
                    value.ArrayValue = array;
                    break;
                case "kvlistValue" or "kvlist_value":
                    var list = new KeyValueList();
                    foreach (var a in Object(p.Value, "kvlistValue").EnumerateObject())
                        if (a.NameEquals("values")) ReadAttributes(a.Value, list.Values);
                    value.KvlistValue = list;
                    break;
            }
        }
        return value;
    }

    private static JsonElement Object(JsonElement el, string what) =>
        el.ValueKind == JsonValueKind.Object ? el : throw Bad(what, "an object");

    private static JsonElement.ArrayEnumerator Array(JsonElement el, string what) => el.ValueKind switch
    {
        JsonValueKind.Array => el.EnumerateArray(),
        // proto3 JSON: null means "not set", here an empty list.
        JsonValueKind.Null => default,
        _ => throw Bad(what, "an array"),
    };

    private static string String(JsonElement el, string what) => el.ValueKind switch
    {
        JsonValueKind.String => el.GetString()!,
        JsonValueKind.Null => "",
        _ => throw Bad(what, "a string"),
    };

    private static ulong UInt64(JsonElement el, string what)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetUInt64(out var n)) return n;
        if (el.ValueKind == JsonValueKind.String && ulong.TryParse(el.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n)) return n;
        if (el.ValueKind == JsonValueKind.Null) return 0;
        throw Bad(what, "an unsigned 64-bit integer (number or decimal string)");
    }

    private static long Int64(JsonElement el, string what)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetInt64(out var n)) return n;
        if (el.ValueKind == JsonValueKind.String && long.TryParse(el.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        throw Bad(what, "a 64-bit integer (number or decimal string)");
    }

    private static double Double(JsonElement el, string what)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetDouble(out var n)) return n;
        if (el.ValueKind == JsonValueKind.String)
        {
            var s = el.GetString();
            switch (s)
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        }
        throw Bad(what, "a number");
    }

    /// <summary>Enums are integers in OTLP/JSON; the proto names (with or without prefix) are accepted as a courtesy.</summary>
    private static int Enum(JsonElement el, string what, string prefix)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetInt32(out var n)) return n;
        if (el.ValueKind == JsonValueKind.String)
        {
            var s = el.GetString()!;
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n)) return n;
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) s = s[prefix.Length..];
            var names = prefix == "SPAN_KIND_"
                ? new[] { "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" }
                : new[] { "UNSET", "OK", "ERROR" };
            var i = System.Array.FindIndex(names, x => x.Equals(s, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) return i;
        }
        if (el.ValueKind == JsonValueKind.Null) return 0;
        throw Bad(what, "an enum number");
    }

    private static IngestFormatException Bad(string what, string expected) =>
        new($"OTLP/JSON: {what} must be {expected}.");
}
