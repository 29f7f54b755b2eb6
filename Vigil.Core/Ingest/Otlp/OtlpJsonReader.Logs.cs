using System.Globalization;
using System.Text.Json;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>OTLP/JSON logs (<c>POST /v1/logs</c>), with the same rules as traces: hex ids, lowerCamelCase or snake_case keys.</summary>
public static partial class OtlpJsonReader
{
    public static ExportLogsServiceRequest ReadLogs(ReadOnlyMemory<byte> body, IngestOptions limits)
    {
        using var doc = IngestJson.Parse(body, limits);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new IngestFormatException("The body must be a JSON object with a \"resourceLogs\" array.");
        var request = new ExportLogsServiceRequest();
        foreach (var p in root.EnumerateObject())
        {
            if (p.NameEquals("resourceLogs") || p.NameEquals("resource_logs"))
                foreach (var rl in Array(p.Value, "resourceLogs"))
                    request.ResourceLogs.Add(ReadResourceLogs(rl));
        }
        return request;
    }

    private static ResourceLogs ReadResourceLogs(JsonElement el)
    {
        var rl = new ResourceLogs();
        foreach (var p in Object(el, "resourceLogs[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "resource":
                    if (p.Value.ValueKind != JsonValueKind.Null) rl.Resource = ReadResource(p.Value);
                    break;
                case "scopeLogs" or "scope_logs":
                    foreach (var sl in Array(p.Value, "scopeLogs"))
                        rl.ScopeLogs.Add(ReadScopeLogs(sl));
                    break;
            }
        }
        return rl;
    }

    private static ScopeLogs ReadScopeLogs(JsonElement el)
    {
        var sl = new ScopeLogs();
        foreach (var p in Object(el, "scopeLogs[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "scope":
                    if (p.Value.ValueKind != JsonValueKind.Null) sl.Scope = ReadScope(p.Value);
                    break;
                case "logRecords" or "log_records":
                    foreach (var record in Array(p.Value, "logRecords"))
                        sl.LogRecords.Add(ReadLogRecord(record));
                    break;
            }
        }
        return sl;
    }

    private static LogRecord ReadLogRecord(JsonElement el)
    {
        var record = new LogRecord();
        foreach (var p in Object(el, "logRecords[]").EnumerateObject())
        {
            switch (p.Name)
            {
                case "timeUnixNano" or "time_unix_nano": record.TimeUnixNano = UInt64(p.Value, "timeUnixNano"); break;
                case "observedTimeUnixNano" or "observed_time_unix_nano": record.ObservedTimeUnixNano = UInt64(p.Value, "observedTimeUnixNano"); break;
                case "severityNumber" or "severity_number": record.SeverityNumber = Severity(p.Value); break;
                case "severityText" or "severity_text": record.SeverityText = String(p.Value, "severityText"); break;
                case "body": if (p.Value.ValueKind != JsonValueKind.Null) record.Body = ReadAnyValue(p.Value); break;
                case "attributes": ReadAttributes(p.Value, record.Attributes); break;
                case "droppedAttributesCount" or "dropped_attributes_count": record.DroppedAttributesCount = (uint)UInt64(p.Value, "droppedAttributesCount"); break;
                case "flags": record.Flags = (uint)UInt64(p.Value, "flags"); break;
                case "traceId" or "trace_id": record.TraceId = OtlpIds.FromHex(String(p.Value, "traceId")); break;
                case "spanId" or "span_id": record.SpanId = OtlpIds.FromHex(String(p.Value, "spanId")); break;
                case "eventName" or "event_name": record.EventName = String(p.Value, "eventName"); break;
            }
        }
        return record;
    }

    /// <summary>An integer per the spec; the enum's name (<c>SEVERITY_NUMBER_INFO</c> or <c>INFO</c>) as a courtesy.</summary>
    private static SeverityNumber Severity(JsonElement el)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetInt32(out var n)) return (SeverityNumber)n;
        if (el.ValueKind == JsonValueKind.String)
        {
            var s = el.GetString()!;
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n)) return (SeverityNumber)n;
            if (s.StartsWith("SEVERITY_NUMBER_", StringComparison.OrdinalIgnoreCase)) s = s["SEVERITY_NUMBER_".Length..];
            if (System.Enum.TryParse<SeverityNumber>(s, ignoreCase: true, out var parsed)) return parsed;
        }
        if (el.ValueKind == JsonValueKind.Null) return SeverityNumber.Unspecified;
        throw Bad("severityNumber", "an enum number");
    }
}
