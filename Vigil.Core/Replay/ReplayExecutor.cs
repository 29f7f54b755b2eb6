using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Core.Pricing;
using Vigil.Core.Replay.Providers;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>
/// Runs one confirmed replay: re-executes the trace parents-first, stores the result as a new trace linked by
/// replay_of, and records per-span diffs. A provider error fails that span only; the run fails only when every LLM
/// span it tried failed.
/// </summary>
public sealed class ReplayExecutor(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    TraceQueryService traces,
    IngestService ingest,
    PriceTable prices,
    IEnumerable<IReplayProvider> providers,
    ProviderEndpointResolver endpoints,
    ReplayQueue queue,
    ReplayLeases leases,
    INotificationSink notifications,
    LiveFeed liveFeed,
    IOptions<ReplayOptions> options,
    TimeProvider time,
    ILogger<ReplayExecutor> logger)
{
    /// <summary>Runs a replay this instance has claimed (running, under its lease), renewing the lease meanwhile.</summary>
    public async Task ExecuteAsync(string runId, CancellationToken stopping)
    {
        ReplayRun run;
        await using (var db = await dbFactory.CreateDbContextAsync(stopping))
            run = await db.ReplayRuns.AsNoTracking().FirstAsync(r => r.Id == runId, stopping);
        using var lost = new CancellationTokenSource();
        using var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var keepAlive = leases.KeepAliveAsync(runId, lost, keepAliveStop.Token);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stopping, lost.Token);
        Publish(run, null);
        try
        {
            await RunAsync(run, working.Token);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested && (lost.IsCancellationRequested || e is ReplayLeaseLostException))
        {
            // Another instance took the run over (or will): it owns the outcome now; write nothing more.
            logger.LogWarning("Replay {RunId} stopped on this instance: its lease is gone", runId);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            logger.LogError(e, "Replay {RunId} failed", runId);
            run.Status = ReplayStatus.Failed;
            run.ErrorMessage = $"Replay failed: {e.Message}";
            try { await FinishAsync(run, CancellationToken.None); }
            catch (ReplayLeaseLostException) { logger.LogWarning("Replay {RunId}: the lease is gone; its failure is not stored here", runId); }
        }
        finally
        {
            await keepAliveStop.CancelAsync();
            await keepAlive;
            // Stopping mid-run: give the lease up, so the run is taken over (or failed) at once rather than after it runs out.
            if (stopping.IsCancellationRequested) await leases.ReleaseAsync(runId);
            queue.Forget(runId);
        }
    }

    private async Task RunAsync(ReplayRun run, CancellationToken stopping)
    {
        var detail = await traces.GetAsync(run.ProjectId, run.OriginalTraceId, stopping);
        if (detail is null) { await FailAsync(run, $"Trace '{run.OriginalTraceId}' no longer exists."); return; }
        var errors = new Dictionary<string, string[]>();
        var mutations = MutationParser.Parse(JsonNode.Parse(run.Mutations), detail.Spans, errors);
        if (errors.Count > 0) { await FailAsync(run, "Mutations no longer match the trace: " + string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}"))); return; }
        await using var db0 = await dbFactory.CreateDbContextAsync(stopping);
        var project = await db0.Projects.AsNoTracking().FirstAsync(p => p.Id == run.ProjectId, stopping);

        var onlySpans = (run.Config is null ? null : JsonNode.Parse(run.Config)?["only_spans"] as JsonArray)?
            .Select(n => n?.GetValue<string>()).OfType<string>().ToList();
        var planned = ReplayPlan.LlmSpans(detail.Spans, mutations, prices, onlySpans).ToDictionary(p => p.Span.SpanId, StringComparer.Ordinal);
        var newTraceId = Guid.NewGuid().ToString("N");
        var ids = detail.Spans.ToDictionary(s => s.SpanId, _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), StringComparer.Ordinal);
        var offsetUs = UnixMicros.Now(time) - detail.Trace.StartTimeUs;
        var results = new List<SpanInput>();
        var diffs = new List<SpanDiff>();
        int executed = 0, failed = 0;
        string? firstError = null;
        var cancelled = false;

        foreach (var span in ReplayPlan.TopologicalOrder(detail.Spans))
        {
            if (queue.IsCancelRequested(run.Id) || await leases.CancelRequestedAsync(run.Id, stopping)) { cancelled = true; break; }
            var newSpan = ResultSpans.Copy(span, newTraceId, ids, offsetUs);
            if (planned.TryGetValue(span.SpanId, out var plan))
            {
                var outcome = await ExecuteSpanAsync(project, plan, newSpan, stopping);
                diffs.Add(outcome);
                executed += outcome.WasExecuted ? 1 : 0;
                if (outcome.Error is not null) { failed++; firstError ??= outcome.Error; }
                run.CompletedSpans++;
                await SaveProgressAsync(run, stopping);
                Publish(run, span.SpanId);
            }
            else diffs.Add(SpanDiffBuilder.Copied(span, newSpan.SpanId!, ResultSpans.CopyNote(span)));
            results.Add(newSpan);
        }

        // The result trace is written once: only while this instance still holds the run.
        if (!await leases.RenewAsync(run.Id, stopping)) throw new ReplayLeaseLostException(run.Id);
        if (results.Count > 0) await StoreTraceAsync(run, detail.Trace, newTraceId, results, stopping);
        run.ResultTraceId = results.Count > 0 ? newTraceId : null;
        run.ActualCostUsd = diffs.Where(d => d.WasExecuted).Sum(d => d.NewCostUsd ?? 0);
        run.Diffs = ReplayJson.SerializeDiffs(diffs);
        if (cancelled) run.Status = ReplayStatus.Cancelled;
        else if (executed > 0 && failed == executed)
        {
            run.Status = ReplayStatus.Failed;
            run.ErrorMessage = $"All {executed} LLM spans failed; first error: {firstError}";
        }
        else
        {
            run.Status = ReplayStatus.Completed;
            run.ErrorMessage = failed > 0 ? $"{failed} of {executed} LLM spans failed; first error: {firstError}" : null;
        }
        await FinishAsync(run, stopping);
    }

    private async Task<SpanDiff> ExecuteSpanAsync(Projects.Project project, PlannedLlmSpan plan, SpanInput newSpan, CancellationToken stopping)
    {
        var request = LlmRequestBuilder.ToRequest(plan.MutatedInput);
        newSpan.Input = IngestJson.ToStoredJson(plan.MutatedInput);
        newSpan.Model = plan.Model;
        newSpan.Provider = plan.Provider;
        newSpan.Output = null;
        newSpan.InputTokens = newSpan.OutputTokens = null;
        newSpan.CostUsd = null;

        var unanswered = LlmRequestBuilder.UnansweredToolCalls(request.Messages);
        if (unanswered.Count > 0)
        {
            // Providers reject a conversation whose tool calls have no results; keep the recorded span instead of failing the run.
            var skipNote = $"Not re-run: the recorded messages hold tool calls without results ({string.Join(", ", unanswered)}); the recorded span was copied.";
            ResultSpans.CopyRecorded(plan.Span, newSpan);
            return SpanDiffBuilder.Copied(plan.Span, newSpan.SpanId!, skipNote) with { Status = SpanDiff.Statuses.Skipped, MutatedInput = plan.MutatedInput };
        }

        var provider = providers.FirstOrDefault(p => p.Name == plan.Provider);
        string? error = null;
        LlmResponse? response = null;
        var started = time.GetTimestamp();
        ProviderEndpoint? endpoint = null;
        try { endpoint = endpoints.Resolve(project, plan.Provider); }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The Data Protection key ring changed (e.g. a new keys folder): the stored key is unreadable, not the run's fault.
            error = $"The project's stored {plan.Provider} key cannot be decrypted; set it again in the provider settings.";
        }
        if (error is not null || endpoint is null) { }
        else if (provider is null) error = $"No replay provider '{plan.Provider}' is registered.";
        else if (endpoint.ApiKey is null && endpoint.BaseUrl is null)
            error = $"No API key is configured for {plan.Provider}: set it in the project's provider settings or in Vigil:Replay.";
        else
        {
            var o = options.Value;
            // A backstop over the client's own timeout, which applies per attempt.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.TimeoutSeconds * (o.MaxRetries + 1) + 1), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
            try
            {
                response = await provider.CompleteAsync(request, endpoint, linked.Token);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                error = e is OperationCanceledException || e.InnerException is TimeoutException || e is TimeoutException
                    ? $"{plan.Provider} did not answer within {o.TimeoutSeconds:0.###} s."
                    : e is ReplayProviderException ? e.Message : $"{plan.Provider} call failed: {e.Message}";
                logger.LogWarning("Replay span {SpanId} via {Provider} failed: {Error}", plan.Span.SpanId, plan.Provider, error);
            }
        }
        var latencyMs = time.GetElapsedTime(started).TotalMilliseconds;

        newSpan.EndTime = newSpan.StartTime!.Value.AddMilliseconds(latencyMs);
        var metadata = new JsonObject { ["replay_original_span_id"] = plan.Span.SpanId, ["replay_provider"] = plan.Provider };
        string? note = null;
        if (response is not null)
        {
            newSpan.Status = SpanStatus.Ok;
            newSpan.Output = IngestJson.ToStoredJson(response.Output);
            newSpan.Model = response.Model ?? plan.Model;
            newSpan.InputTokens = response.InputTokens;
            newSpan.OutputTokens = response.OutputTokens;
            newSpan.CostUsd = prices.Cost(newSpan.Model, response.InputTokens, response.OutputTokens) ?? prices.Cost(plan.Model, response.InputTokens, response.OutputTokens);
            if (response.ToolCalls is { Count: > 0 })
                note = "The model asked for tool calls; tools are not re-executed, so the recorded tool spans were copied.";
        }
        else
        {
            newSpan.Status = SpanStatus.Error;
            metadata["replay_error"] = error;
        }
        newSpan.Metadata = metadata.ToJsonString();
        return SpanDiffBuilder.Executed(plan, newSpan, latencyMs, error, note);
    }

    /// <summary>One write path: the result trace goes through ingest like any other, then gets its replay_of link.</summary>
    private async Task StoreTraceAsync(ReplayRun run, TraceRecord original, string newTraceId, List<SpanInput> spans, CancellationToken ct)
    {
        var metadata = new JsonObject { ["replay_run_id"] = run.Id, ["replay_of"] = original.TraceId };
        // The original's conversation and end user go into the metadata only: a replay is no new turn of the session.
        if (original.SessionId is not null) metadata["session_id"] = original.SessionId;
        if (original.UserId is not null) metadata["user_id"] = original.UserId;
        var batch = new IngestBatch
        {
            TraceName = $"replay of {original.Name ?? original.TraceId}",
            TraceMetadata = metadata.ToJsonString(),
        };
        batch.Spans.AddRange(spans);
        var result = await ingest.IngestAsync(run.ProjectId, batch, IngestMode.AllOrNothing, ct);
        if (result.Outcome != IngestOutcome.Accepted)
            throw new InvalidOperationException("The result trace was rejected: " + string.Join("; ", result.Errors.Select(e => e.Message)) + result.Message);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        await db.Traces.Where(t => t.ProjectId == run.ProjectId && t.TraceId == newTraceId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ReplayOf, original.TraceId), ct);
    }

    private async Task SaveProgressAsync(ReplayRun run, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var nowUs = UnixMicros.Now(time);
        var saved = await Owned(db, run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.CompletedSpans, run.CompletedSpans).SetProperty(r => r.UpdatedAtUs, nowUs), ct);
        if (saved == 0) throw new ReplayLeaseLostException(run.Id);
    }

    /// <summary>The run, only while this instance still holds its lease: every write of a running run goes through here.</summary>
    private IQueryable<ReplayRun> Owned(VigilDbContext db, string runId) =>
        db.ReplayRuns.Where(r => r.Id == runId && r.Status == ReplayStatus.Running && r.LeaseOwner == leases.Owner);

    private async Task FailAsync(ReplayRun run, string message)
    {
        run.Status = ReplayStatus.Failed;
        run.ErrorMessage = message;
        await FinishAsync(run, CancellationToken.None);
    }

    private async Task FinishAsync(ReplayRun run, CancellationToken ct)
    {
        var nowUs = UnixMicros.Now(time);
        run.UpdatedAtUs = nowUs;
        run.CompletedAtUs = nowUs;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        using (await writeGate.EnterAsync(ct))
        {
            var saved = await Owned(db, run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, run.Status).SetProperty(r => r.ErrorMessage, run.ErrorMessage)
                .SetProperty(r => r.ResultTraceId, run.ResultTraceId).SetProperty(r => r.ActualCostUsd, run.ActualCostUsd)
                .SetProperty(r => r.Diffs, run.Diffs).SetProperty(r => r.CompletedSpans, run.CompletedSpans)
                .SetProperty(r => r.UpdatedAtUs, nowUs).SetProperty(r => r.CompletedAtUs, nowUs)
                .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAtUs, (long?)null), ct);
            if (saved == 0) throw new ReplayLeaseLostException(run.Id);
        }
        logger.LogInformation("Replay {RunId} {Status}: {Done}/{Total} LLM spans, ${Cost}", run.Id, run.Status, run.CompletedSpans, run.LlmSpansCount, run.ActualCostUsd);
        Publish(run, null);
        if (run.Status is ReplayStatus.Completed or ReplayStatus.Failed)
        {
            try
            {
                var ok = run.Status == ReplayStatus.Completed;
                await notifications.NotifyAsync(run.ProjectId,
                    ok ? NotificationType.ReplayComplete : NotificationType.ReplayFailed,
                    ok ? $"Replay of trace {run.OriginalTraceId} completed" : $"Replay of trace {run.OriginalTraceId} failed",
                    ok ? $"{run.CompletedSpans} LLM spans re-run, cost ${run.ActualCostUsd:0.######}." + (run.ErrorMessage is null ? "" : " " + run.ErrorMessage) : run.ErrorMessage,
                    run.Id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The run itself is stored; a lost notification must not turn it into a failure.
                logger.LogWarning(e, "Could not notify about replay {RunId}", run.Id);
            }
        }
    }

    private void Publish(ReplayRun run, string? spanId) => liveFeed.Publish(new ReplayStatusEvent(
        run.ProjectId, run.Id, run.OriginalTraceId, run.Status, run.CompletedSpans, run.LlmSpansCount, run.ResultTraceId, spanId, run.ErrorMessage));
}
