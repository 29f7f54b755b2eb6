using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Live;
using Vigil.Core.Pricing;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Replay;

/// <summary>Replay runs of one project: estimate, confirm, cancel, read. Execution happens in <see cref="ReplayWorker"/>.</summary>
public sealed class ReplayService(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    TraceQueryService traces,
    PriceTable prices,
    ReplayQueue queue,
    LiveFeed liveFeed,
    IOptions<ReplayOptions> options,
    TimeProvider time,
    ILogger<ReplayService> logger)
{
    /// <param name="onlySpans">Re-run only these LLM spans (a playground run of one span); the others are copied as recorded.</param>
    public async Task<ReplayOutcome<ReplayEstimate>> EstimateAsync(string projectId, string traceId, JsonNode? mutations, CancellationToken ct = default,
        IReadOnlyCollection<string>? onlySpans = null)
    {
        var detail = await traces.GetAsync(projectId, traceId, ct);
        if (detail is null) return ReplayOutcome<ReplayEstimate>.NotFound($"Trace '{traceId}' was not found.");
        var errors = new Dictionary<string, string[]>();
        var parsed = MutationParser.Parse(mutations, detail.Spans, errors);
        if (errors.Count > 0) return ReplayOutcome<ReplayEstimate>.Invalid(errors);

        if (onlySpans is { Count: > 0 })
        {
            var llm = ReplayPlan.LlmSpans(detail.Spans, parsed, prices).Select(p => p.Span.SpanId).ToHashSet(StringComparer.Ordinal);
            foreach (var id in onlySpans.Where(id => !llm.Contains(id)))
                errors[$"only_spans.{id}"] = ["is not a re-runnable LLM span of this trace"];
            if (errors.Count > 0) return ReplayOutcome<ReplayEstimate>.Invalid(errors);
        }
        var plan = ReplayPlan.LlmSpans(detail.Spans, parsed, prices, onlySpans);
        var nowUs = UnixMicros.Now(time);
        var mutationsJson = (mutations as JsonObject)?.ToJsonString() ?? "{}";
        var run = new ReplayRun
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ProjectId = projectId,
            OriginalTraceId = traceId,
            Status = ReplayStatus.Estimating,
            Mutations = mutationsJson,
            Config = new JsonObject
            {
                ["mutations"] = JsonNode.Parse(mutationsJson),
                ["only_spans"] = onlySpans is { Count: > 0 } ? new JsonArray(onlySpans.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()) : null,
            }.ToJsonString(),
            EstimatedCostUsd = plan.Sum(p => p.EstimatedCostUsd),
            LlmSpansCount = plan.Count,
            CreatedAtUs = nowUs,
            UpdatedAtUs = nowUs,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            using var _ = await writeGate.EnterAsync(ct);
            db.ReplayRuns.Add(run);
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Replay {RunId} of trace {TraceId} estimated: {Count} LLM spans, ${Cost}", run.Id, traceId, plan.Count, run.EstimatedCostUsd);
        Publish(run);
        return ReplayOutcome<ReplayEstimate>.Ok(new ReplayEstimate(run, plan));
    }

    public async Task<ReplayOutcome<ReplayRun>> ConfirmAsync(string projectId, string traceId, string runId, CancellationToken ct = default)
    {
        // The queue is the table: confirmed runs wait there for whichever instance claims them first.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            if (await db.ReplayRuns.CountAsync(r => r.Status == ReplayStatus.Confirmed, ct) >= options.Value.QueueCapacity)
                return ReplayOutcome<ReplayRun>.Busy("The replay queue is full; try again shortly.");
        var outcome = await TransitionAsync(projectId, traceId, runId, [ReplayStatus.Estimating], ReplayStatus.Confirmed, ct);
        if (outcome.Kind == ReplayOutcomeKind.Ok) queue.Wake();
        return outcome;
    }

    /// <summary>Before running: cancelled at once. While running: requested; the worker stops after the current span.</summary>
    public async Task<ReplayOutcome<ReplayRun>> CancelAsync(string projectId, string traceId, string runId, CancellationToken ct = default)
    {
        var outcome = await TransitionAsync(projectId, traceId, runId, [ReplayStatus.Estimating, ReplayStatus.Confirmed], ReplayStatus.Cancelled, ct);
        if (outcome.Kind != ReplayOutcomeKind.Conflict) return outcome;
        var run = await GetAsync(projectId, traceId, runId, ct);
        if (run?.Status == ReplayStatus.Running)
        {
            // Whichever instance runs it sees the flag before its next span.
            queue.RequestCancel(runId);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            using (await writeGate.EnterAsync(ct))
                await db.ReplayRuns.Where(r => r.Id == runId && r.ProjectId == projectId).ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), ct);
            return ReplayOutcome<ReplayRun>.Ok(run);
        }
        return outcome;
    }

    public async Task<ReplayRun?> GetAsync(string projectId, string? traceId, string runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.ReplayRuns.AsNoTracking().FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Id == runId, ct);
        return run is not null && (traceId is null || run.OriginalTraceId == traceId) ? run : null;
    }

    public async Task<Page<ReplayRun>> ListAsync(string projectId, int offset, int limit, string? traceId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.ReplayRuns.AsNoTracking().Where(r => r.ProjectId == projectId);
        if (!string.IsNullOrEmpty(traceId)) q = q.Where(r => r.OriginalTraceId == traceId);
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(r => r.CreatedAtUs).ThenByDescending(r => r.Id).Skip(offset).Take(limit).ToListAsync(ct);
        return new Page<ReplayRun>(items, total, offset, limit);
    }

    public bool IsCancelRequested(string runId) => queue.IsCancelRequested(runId);

    private async Task<ReplayOutcome<ReplayRun>> TransitionAsync(string projectId, string traceId, string runId, string[] from, string to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        ReplayRun? run;
        using (await writeGate.EnterAsync(ct))
        {
            run = await db.ReplayRuns.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Id == runId && r.OriginalTraceId == traceId, ct);
            if (run is null) return ReplayOutcome<ReplayRun>.NotFound($"Replay run '{runId}' of trace '{traceId}' was not found.");
            if (!from.Contains(run.Status))
                return ReplayOutcome<ReplayRun>.Conflict($"Replay run '{runId}' is {run.Status}; this needs {string.Join(" or ", from)}.");
            run.Status = to;
            run.UpdatedAtUs = UnixMicros.Now(time);
            if (to == ReplayStatus.Cancelled) run.CompletedAtUs = run.UpdatedAtUs;
            await db.SaveChangesAsync(ct);
        }
        Publish(run);
        return ReplayOutcome<ReplayRun>.Ok(run);
    }

    private void Publish(ReplayRun run) => liveFeed.Publish(new ReplayStatusEvent(
        run.ProjectId, run.Id, run.OriginalTraceId, run.Status, run.CompletedSpans, run.LlmSpansCount, run.ResultTraceId, null, run.ErrorMessage));
}
