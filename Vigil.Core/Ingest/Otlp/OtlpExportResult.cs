using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

public enum OtlpExportOutcome
{
    /// <summary>Kept, possibly partly: <see cref="OtlpExportResult.Rejected"/> items were dropped.</summary>
    Accepted,
    /// <summary>Nothing kept: the request is unreadable or over a limit (HTTP 400 / gRPC INVALID_ARGUMENT).</summary>
    Invalid,
    /// <summary>The request names another project than the key's (HTTP 403 / gRPC PERMISSION_DENIED).</summary>
    Forbidden,
    /// <summary>The database cannot take the write now; nothing kept (HTTP 503 + Retry-After / gRPC UNAVAILABLE).</summary>
    Unavailable,
}

/// <summary>What an OTLP export did, whatever the transport; the handlers turn it into their protocol's answer.</summary>
public sealed record OtlpExportResult(OtlpExportOutcome Outcome, long Rejected = 0, string? Message = null, string? Limit = null)
{
    /// <summary>For <see cref="OtlpExportOutcome.Unavailable"/>: when to retry.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static OtlpExportResult Invalid(string message, string? limit = null) => new(OtlpExportOutcome.Invalid, 0, message, limit);

    /// <summary>The OTLP answer: partial success only when something was rejected or there is something to say.</summary>
    public ExportTraceServiceResponse ToTraceResponse() => Rejected > 0 || !string.IsNullOrEmpty(Message)
        ? new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = Rejected, ErrorMessage = Message ?? "" } }
        : new ExportTraceServiceResponse();

    public ExportLogsServiceResponse ToLogsResponse() => Rejected > 0 || !string.IsNullOrEmpty(Message)
        ? new ExportLogsServiceResponse { PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = Rejected, ErrorMessage = Message ?? "" } }
        : new ExportLogsServiceResponse();
}
