using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Traces;

/// <summary>Reads and small edits of traces and spans. Every call is scoped to one project.</summary>
public sealed class TraceQueryService(IDbContextFactory<VigilDbContext> dbFactory, ITraceSearch search, WriteGate writeGate, LiveFeed liveFeed, TimeProvider time)
{
    public async Task<Page<TraceRecord>> ListAsync(string projectId, TraceQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Traces.AsNoTracking().Where(t => t.ProjectId == projectId);
        if (!string.IsNullOrEmpty(query.Status)) q = q.Where(t => t.Status == query.Status);
        // Case-insensitive substring filters; lower() + instr/strpos on every provider.
        if (!string.IsNullOrEmpty(query.Name)) { var name = query.Name.ToLowerInvariant(); q = q.Where(t => t.Name!.ToLower().Contains(name)); }
        if (!string.IsNullOrEmpty(query.Model)) { var model = query.Model.ToLowerInvariant(); q = q.Where(t => t.Models!.ToLower().Contains(model)); }
        if (query.HasErrors == true) q = q.Where(t => t.ErrorCount > 0);
        if (query.HasErrors == false) q = q.Where(t => t.ErrorCount == 0);
        if (query.StartDate is { } from) { var us = UnixMicros.From(from); q = q.Where(t => t.StartTimeUs >= us); }
        if (query.EndDate is { } to) { var us = UnixMicros.From(to); q = q.Where(t => t.StartTimeUs <= us); }
        if (!string.IsNullOrWhiteSpace(query.Q)) q = search.Matching(db, q, projectId, query.Q.Trim());

        var total = await q.CountAsync(ct);
        q = (query.Sort, query.Descending) switch
        {
            (TraceSort.Duration, true) => q.OrderByDescending(t => t.DurationMs).ThenByDescending(t => t.Id),
            (TraceSort.Duration, false) => q.OrderBy(t => t.DurationMs).ThenBy(t => t.Id),
            (TraceSort.Cost, true) => q.OrderByDescending(t => t.CostUsd).ThenByDescending(t => t.Id),
            (TraceSort.Cost, false) => q.OrderBy(t => t.CostUsd).ThenBy(t => t.Id),
            (TraceSort.Tokens, true) => q.OrderByDescending(t => t.InputTokens + t.OutputTokens).ThenByDescending(t => t.Id),
            (TraceSort.Tokens, false) => q.OrderBy(t => t.InputTokens + t.OutputTokens).ThenBy(t => t.Id),
            (TraceSort.SpanCount, true) => q.OrderByDescending(t => t.SpanCount).ThenByDescending(t => t.Id),
            (TraceSort.SpanCount, false) => q.OrderBy(t => t.SpanCount).ThenBy(t => t.Id),
            (TraceSort.Name, true) => q.OrderByDescending(t => t.Name).ThenByDescending(t => t.Id),
            (TraceSort.Name, false) => q.OrderBy(t => t.Name).ThenBy(t => t.Id),
            (_, true) => q.OrderByDescending(t => t.StartTimeUs).ThenByDescending(t => t.Id),
            (_, false) => q.OrderBy(t => t.StartTimeUs).ThenBy(t => t.Id),
        };
        var items = await q.Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<TraceRecord>(items, total, query.Offset, query.Limit);
    }

    public async Task<TraceDetail?> GetAsync(string projectId, string traceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trace = await db.Traces.AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId && t.TraceId == traceId, ct);
        if (trace is null) return null;
        var spans = await db.Spans.AsNoTracking()
            .Where(s => s.TracePk == trace.Id)
            .OrderBy(s => s.StartTimeUs).ThenBy(s => s.Id)
            .ToListAsync(ct);
        return new TraceDetail(trace, spans);
    }

    public async Task<Page<SpanRecord>> ListSpansAsync(string projectId, SpanQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Spans.AsNoTracking().Where(s => s.ProjectId == projectId);
        if (!string.IsNullOrEmpty(query.Kind)) q = q.Where(s => s.Kind == query.Kind);
        if (!string.IsNullOrEmpty(query.Status)) q = q.Where(s => s.Status == query.Status);
        if (!string.IsNullOrEmpty(query.TraceId))
        {
            // Spans are indexed by their trace's row id; an unknown trace id matches nothing.
            var tracePk = await db.Traces.Where(t => t.ProjectId == projectId && t.TraceId == query.TraceId).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            q = q.Where(s => s.TracePk == (tracePk ?? -1));
        }
        if (!string.IsNullOrEmpty(query.Model)) q = q.Where(s => s.Model == query.Model);
        if (!string.IsNullOrEmpty(query.Name)) { var name = query.Name.ToLowerInvariant(); q = q.Where(s => s.Name.ToLower().Contains(name)); }
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(s => s.StartTimeUs).ThenByDescending(s => s.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<SpanRecord>(items, total, query.Offset, query.Limit);
    }

    /// <summary>Sets the status (then it no longer follows the spans) and merges metadata keys (null deletes a key).</summary>
    public async Task<TraceRecord?> PatchAsync(string projectId, string traceId, string? status, JsonObject? metadata, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var trace = await db.Traces.FirstOrDefaultAsync(t => t.ProjectId == projectId && t.TraceId == traceId, ct);
        if (trace is null) return null;
        if (status is not null)
        {
            trace.Status = status;
            trace.StatusExplicit = true;
        }
        if (metadata is not null)
        {
            var current = (trace.Metadata is null ? null : JsonNode.Parse(trace.Metadata) as JsonObject) ?? new JsonObject();
            foreach (var (key, value) in metadata)
            {
                if (value is null) current.Remove(key);
                else current[key] = value.DeepClone();
            }
            trace.Metadata = current.ToJsonString();
        }
        trace.UpdatedAtUs = UnixMicros.Now(time);
        await db.SaveChangesAsync(ct);
        liveFeed.Publish(new TraceEvent(projectId, ToSummary(trace, isNew: false)));
        return trace;
    }

    /// <summary>Appends an event to a span. Returns false when the trace or span is not in the project.</summary>
    public async Task<bool> AddEventAsync(string projectId, string traceId, string spanId, string name, JsonObject? attributes, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var span = await db.Spans.FirstOrDefaultAsync(s => s.SpanId == spanId
            && s.TracePk == db.Traces.Where(t => t.ProjectId == projectId && t.TraceId == traceId).Select(t => t.Id).FirstOrDefault(), ct);
        if (span is null) return false;
        var events = (span.Events is null ? null : JsonNode.Parse(span.Events) as JsonArray) ?? new JsonArray();
        events.Add(new JsonObject
        {
            ["name"] = name,
            ["timestamp"] = time.GetUtcNow().UtcDateTime.ToString("O"),
            ["attributes"] = attributes?.DeepClone() ?? new JsonObject(),
        });
        span.Events = events.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<ProjectStats> GetStatsAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var totals = await db.Traces.AsNoTracking().Where(t => t.ProjectId == projectId)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Spans = g.Sum(t => (long)t.SpanCount),
                Errors = g.Count(t => t.ErrorCount > 0),
                In = g.Sum(t => t.InputTokens),
                Out = g.Sum(t => t.OutputTokens),
                Cost = g.Sum(t => t.CostUsd),
                Last = g.Max(t => (long?)t.StartTimeUs),
            })
            .FirstOrDefaultAsync(ct);
        return totals is null
            ? new ProjectStats(0, 0, 0, 0, 0, 0, null)
            : new ProjectStats(totals.Count, totals.Spans, totals.Errors, totals.In, totals.Out, totals.Cost, UnixMicros.ToDateTime(totals.Last));
    }

    public static TraceSummary ToSummary(TraceRecord t, bool isNew) => new(
        t.TraceId, t.Name, t.Status, UnixMicros.ToDateTime(t.StartTimeUs), UnixMicros.ToDateTime(t.EndTimeUs), t.DurationMs,
        t.SpanCount, t.ErrorCount, t.InputTokens, t.OutputTokens, t.CostUsd, isNew);
}
