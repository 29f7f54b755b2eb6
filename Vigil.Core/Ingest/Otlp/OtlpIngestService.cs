using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Ingest.Logs;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Ingest.Otlp;

/// <summary>
/// OTLP export, transport-neutral: OTLP/HTTP (protobuf, JSON) and OTLP/gRPC hand their decoded request here and turn the
/// <see cref="OtlpExportResult"/> into their protocol's answer. Invalid spans and records are dropped and counted (OTLP
/// partial success), so an exporter does not retry a request that can never succeed.
/// </summary>
public sealed class OtlpIngestService(IngestService ingest, SpanLogStore spanLogs, IOptions<IngestOptions> options, ILogger<OtlpIngestService> logger)
{
    private const int MaxListedErrors = 10;

    public async Task<OtlpExportResult> ExportTracesAsync(string projectId, ExportTraceServiceRequest request, CancellationToken ct)
    {
        IngestBatch batch;
        try
        {
            batch = OtlpMapper.Map(request, options.Value);
        }
        catch (IngestFormatException ex)
        {
            return OtlpExportResult.Invalid(ex.Message, ex.Limit);
        }

        var result = await ingest.IngestAsync(projectId, batch, IngestMode.DropInvalid, ct);
        if (result.Outcome == IngestOutcome.Unavailable)
            return new OtlpExportResult(OtlpExportOutcome.Unavailable, Message: result.Message) { RetryAfter = result.RetryAfter };
        if (result.Outcome == IngestOutcome.Forbidden) return new OtlpExportResult(OtlpExportOutcome.Forbidden, Message: result.Message);
        var errors = Describe(result.Errors.Select(e => $"{e.Path} {e.Message}").ToList());
        if (result.Outcome == IngestOutcome.Invalid) return OtlpExportResult.Invalid(result.Message ?? errors);
        if (result.RejectedCount > 0)
            logger.LogInformation("OTLP traces for {ProjectId}: kept {SpanCount} spans, rejected {RejectedCount}: {Errors}",
                projectId, result.SpanCount, result.RejectedCount, errors);
        return new OtlpExportResult(OtlpExportOutcome.Accepted, result.RejectedCount, result.RejectedCount > 0 ? errors : null);
    }

    /// <summary>
    /// Log records attach to their span by trace and span id (GenAI message events become its input and output, other
    /// records its events), whether the span is stored yet or not. A record without a span context is rejected.
    /// </summary>
    public async Task<OtlpExportResult> ExportLogsAsync(string projectId, ExportLogsServiceRequest request, CancellationToken ct)
    {
        SpanLogBatch batch;
        try
        {
            batch = OtlpLogMapper.Map(request, options.Value);
        }
        catch (IngestFormatException ex)
        {
            return OtlpExportResult.Invalid(ex.Message, ex.Limit);
        }

        var changed = await spanLogs.AddAsync(projectId, batch, ct);
        var errors = Describe(batch.Errors);
        if (batch.Rejected > 0)
            logger.LogInformation("OTLP logs for {ProjectId}: kept {Kept} of {Records} records, rejected {RejectedCount}: {Errors}",
                projectId, batch.Records - batch.Rejected, batch.Records, batch.Rejected, errors);
        logger.LogDebug("OTLP logs for {ProjectId}: {Spans} spans addressed, {Changed} stored spans updated", projectId, batch.Order.Count, changed);
        return new OtlpExportResult(OtlpExportOutcome.Accepted, batch.Rejected, batch.Rejected > 0 ? errors : null);
    }

    /// <summary>A short list for errorMessage (the spec's "why"); capped so one bad batch cannot bloat the response.</summary>
    private static string Describe(IReadOnlyList<string> errors)
    {
        var text = string.Join("; ", errors.Take(MaxListedErrors));
        return errors.Count > MaxListedErrors ? $"{text}; and {errors.Count - MaxListedErrors} more" : text;
    }
}
