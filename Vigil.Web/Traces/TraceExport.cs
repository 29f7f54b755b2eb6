using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Traces;
using Vigil.Web.Api;

namespace Vigil.Web.Traces;

/// <summary>The export download: a streamed response (nothing buffered), named after the project and the time.</summary>
public static class TraceExport
{
    public static string? Format(QueryErrors errors, string? format)
    {
        var f = string.IsNullOrEmpty(format) ? "jsonl" : format.ToLowerInvariant();
        if (f is "jsonl" or "csv") return f;
        errors.Add("format", "must be jsonl or csv");
        return null;
    }

    public static PushStreamHttpResult Stream(TraceExporter exporter, string projectId, TraceQuery query, string format, CancellationToken ct)
    {
        var file = $"traces-{projectId}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{format}";
        return TypedResults.Stream(async body =>
        {
            if (format == "csv") await exporter.WriteCsvAsync(projectId, query, body, ct);
            else await exporter.WriteJsonLinesAsync(projectId, query, body, ct);
        }, format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson", file);
    }
}
