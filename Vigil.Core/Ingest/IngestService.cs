using Microsoft.Extensions.Logging;
using Vigil.Core.Ingest.Logs;
using Vigil.Core.Live;
using Vigil.Core.Pricing;
using Vigil.Core.Scores;
using Vigil.Core.Storage;

namespace Vigil.Core.Ingest;

/// <summary>
/// Transport-neutral ingest: validates a parsed batch as a whole, resolves trace ids, fills derived fields
/// (duration, provider, cost), hands the batch to the single writer (<see cref="IngestPipeline"/>, one transaction,
/// shared with concurrent batches) and publishes to the live feed after the commit. When the database cannot take the
/// write (<see cref="StorageHealth"/>: full, locked, read-only), the whole batch is refused as
/// <see cref="IngestOutcome.Unavailable"/>, nothing of it written, for the client to retry.
/// </summary>
public sealed class IngestService(
    IngestPipeline pipeline,
    ScoreService scores,
    SpanLogStore spanLogs,
    PriceTable prices,
    LiveFeed liveFeed,
    StorageHealth storage,
    TimeProvider time,
    ILogger<IngestService> logger)
{
    public async Task<IngestResult> IngestAsync(string projectId, IngestBatch batch, IngestMode mode = IngestMode.AllOrNothing, CancellationToken ct = default)
    {
        if (batch.ProjectId is { Length: > 0 } claimed && claimed != projectId)
            return new IngestResult { Outcome = IngestOutcome.Forbidden, Message = $"project_id '{claimed}' does not match the API key's project." };

        var errors = new List<IngestError>(batch.Errors);
        IngestValidator.ValidateBatch(batch, errors);
        for (var i = 0; i < batch.Spans.Count; i++)
            IngestValidator.Validate(batch.Spans[i], i, errors);

        var spans = batch.Spans;
        var rejected = 0;
        if (errors.Count > 0)
        {
            if (mode == IngestMode.AllOrNothing || errors.Any(e => e.SpanIndex is null))
                return new IngestResult { Outcome = IngestOutcome.Invalid, Errors = errors, RejectedCount = batch.Spans.Count };
            var bad = errors.Select(e => e.SpanIndex!.Value).ToHashSet();
            spans = batch.Spans.Where((_, i) => !bad.Contains(i)).ToList();
            rejected = bad.Count;
        }
        if (spans.Count == 0)
            return new IngestResult { Outcome = IngestOutcome.Accepted, RejectedCount = rejected, Errors = errors };

        var nowUs = UnixMicros.Now(time);
        var (prepared, traceIds, headers) = Prepare(batch, spans, nowUs);

        WriteResult written;
        try
        {
            written = await pipeline.WriteAsync(new WriteJob(projectId, prepared, traceIds, headers, nowUs), ct);
        }
        catch (Exception ex) when (storage.Record(ex) is { } fault)
        {
            // The transaction rolled back: nothing of the batch is in the database.
            return new IngestResult { Outcome = IngestOutcome.Unavailable, Message = $"The batch was not stored: {fault.Summary}; retry later.", RetryAfter = fault.RetryAfter };
        }
        storage.WriteSucceeded();
        var (spanSummaries, traceSummaries) = written;
        if (AttachedScores(prepared) is { Count: > 0 } attached) await scores.UpsertAttachedAsync(projectId, attached, nowUs, ct);
        // OTLP log records that arrived before their span (GenAI messages, events) join it now.
        await spanLogs.FoldAsync(projectId, prepared, ct);

        logger.LogDebug("Ingested {SpanCount} spans into {TraceCount} traces of {ProjectId}", prepared.Count, traceIds.Count, projectId);
        liveFeed.Publish(new SpansEvent(projectId, spanSummaries));
        foreach (var t in traceSummaries) liveFeed.Publish(new TraceEvent(projectId, t));

        return new IngestResult { Outcome = IngestOutcome.Accepted, TraceIds = traceIds, SpanCount = prepared.Count, RejectedCount = rejected, Errors = errors };
    }

    private (List<PreparedSpan>, List<string>, List<TraceHeader>) Prepare(IngestBatch batch, List<SpanInput> spans, long nowUs)
    {
        // A span without a trace_id joins the batch's first trace (or a new one).
        var firstTrace = spans.FirstOrDefault(s => !string.IsNullOrEmpty(s.TraceId))?.TraceId ?? Guid.NewGuid().ToString("N");
        var traceIds = new List<string>();
        var starts = new Dictionary<string, long>(StringComparer.Ordinal);
        // The first non-null session and user per trace; the batch-level ones win for the first trace.
        var sessions = new Dictionary<string, (string? Session, string? User)>(StringComparer.Ordinal);
        var prepared = new List<PreparedSpan>(spans.Count);
        // JSON is stored with non-ASCII text as characters, however the client escaped it, so search and case folding see them.
        if (batch.TraceMetadata is not null) batch.TraceMetadata = UnicodeText.UnescapeNonAscii(batch.TraceMetadata);
        foreach (var s in spans)
        {
            if (s.Input is not null) s.Input = UnicodeText.UnescapeNonAscii(s.Input);
            if (s.Output is not null) s.Output = UnicodeText.UnescapeNonAscii(s.Output);
            if (s.Metadata is not null) s.Metadata = UnicodeText.UnescapeNonAscii(s.Metadata);
            var traceId = string.IsNullOrEmpty(s.TraceId) ? firstTrace : s.TraceId;
            var startUs = s.StartTime is { } st ? UnixMicros.From(st) : nowUs;
            long? endUs = s.EndTime is { } et ? UnixMicros.From(et) : null;
            double? duration = endUs is { } e ? (e - startUs) / 1000.0 : null;
            var provider = s.Provider ?? prices.Find(s.Model)?.Provider ?? LlmFieldExtractor.InferProvider(s.Model);
            // A user's price table may be extreme; a computed cost is held to the bound a sent one must meet.
            var cost = s.CostUsd ?? (prices.Cost(s.Model, s.InputTokens, s.OutputTokens) is { } priced ? Math.Min(priced, IngestValidator.MaxCostUsd) : null);
            prepared.Add(new PreparedSpan(s, traceId, startUs, endUs, duration, provider, cost));

            if (starts.TryGetValue(traceId, out var known)) { if (startUs < known) starts[traceId] = startUs; }
            else { starts[traceId] = startUs; traceIds.Add(traceId); }
            if (s.SessionId is not null || s.UserId is not null)
            {
                sessions.TryGetValue(traceId, out var su);
                sessions[traceId] = (su.Session ?? s.SessionId, su.User ?? s.UserId);
            }
        }

        var headers = new List<TraceHeader>(traceIds.Count);
        foreach (var id in traceIds)
        {
            var first = id == firstTrace;
            sessions.TryGetValue(id, out var su);
            headers.Add(new TraceHeader(id,
                first ? batch.TraceName : null,
                first ? batch.ExternalId : null,
                first ? batch.TraceMetadata : null,
                starts[id],
                (first ? batch.SessionId : null) ?? su.Session,
                (first ? batch.UserId : null) ?? su.User));
        }
        return (prepared, traceIds, headers);
    }

    /// <summary>Scores the spans carried (SDK <c>span.Score</c>, OTLP evaluation events), with their trace resolved.</summary>
    private static List<ScoreInput>? AttachedScores(List<PreparedSpan> spans)
    {
        List<ScoreInput>? scores = null;
        foreach (var ps in spans)
            if (ps.Input.Scores is { Count: > 0 } mine)
                foreach (var score in mine) (scores ??= []).Add(score with { TraceId = ps.TraceId, SpanId = ps.Input.SpanId });
        return scores;
    }
}
