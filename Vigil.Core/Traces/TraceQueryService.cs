using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Traces;

/// <summary>Reads and small edits of traces and spans. Every call is scoped to one project.</summary>
public sealed class TraceQueryService(IDbContextFactory<VigilDbContext> dbFactory, ITraceSearch search, WriteGate writeGate, LiveFeed liveFeed, TimeProvider time)
{
    /// <summary>Filtered totals are counted up to this many traces (spans), then reported as "at least".</summary>
    public const int CountLimit = 10_000;

    /// <summary>When the full text is too common to narrow the list by, and other filters narrow it, the walk counts
    /// matches up to this many traces: each is verified against its spans' text.</summary>
    public const int SearchCountLimit = 1_000;

    /// <summary>
    /// A page of the trace list. Text filters go through the provider's index first (<see cref="ITraceSearch"/>): when they
    /// match at most <see cref="CountLimit"/> traces, the page and an exact total come from that set; when more (for the
    /// full text: when the index says it is too common), the list is read in its order (an index for every sort) and
    /// checked a chunk at a time until the page is full. Other filters and sorts read indexes; totals are counted up to
    /// <see cref="CountLimit"/> (the unfiltered total is kept).
    /// </summary>
    public async Task<Page<TraceRecord>> ListAsync(string projectId, TraceQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (q, filtered, narrowed, walkText, known) = await FilterAsync(db, projectId, query, ct);
        var sorted = Sort(q, query);
        if (walkText is not null) return await WalkAsync(projectId, walkText, sorted, query, filtered, ct);

        var (total, exact) = known ?? (narrowed ? (await q.CountAsync(ct), true)
            : !filtered ? ((int)Math.Min(int.MaxValue, await db.ProjectCounts.Where(c => c.ProjectId == projectId).SumAsync(c => c.Traces, ct)), true)
            : await CappedCountAsync(q, ct));
        var items = await sorted.Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<TraceRecord>(items, total, query.Offset, query.Limit, exact);
    }

    /// <summary>
    /// The project's traces narrowed by every filter of <paramref name="query"/>: in SQL where it can, through the text
    /// index where a text filter is selective (<paramref name="query"/>'s q, name and model). When the full text alone
    /// matches more than <see cref="CountLimit"/> traces, or is too common for the index to list and matches more than
    /// <see cref="SearchCountLimit"/>, the result is not narrowed by it and <c>WalkText</c> says what each trace must
    /// still be checked against (<see cref="ITraceSearch.MatchingAsync"/>).
    /// </summary>
    internal async Task<FilteredTraces> FilterAsync(VigilDbContext db, string projectId, TraceQuery query, CancellationToken ct)
    {
        // The project's scope is added at the end, in a form that depends on whether the text index narrowed the list.
        var q = db.Traces.AsNoTracking();
        var filters = 0;
        if (!string.IsNullOrEmpty(query.Status)) { q = q.Where(t => t.Status == query.Status); filters++; }
        // Case-insensitive substring filters; lower() + instr/strpos on every provider.
        if (!string.IsNullOrEmpty(query.Name)) { q = q.WhereContains(t => t.Name, query.Name); filters++; }
        if (!string.IsNullOrEmpty(query.Model)) { q = q.WhereContains(t => t.Models, query.Model); filters++; }
        // The always-true bound on start_time_us lets SQLite's planner (no statistics) pick the partial index of traces
        // with errors, which it serves as a range, over any other (project_id, …) index: 12 instead of 85 ms at 1M spans.
        if (query.HasErrors == true) { q = q.Where(t => t.ErrorCount > 0 && t.StartTimeUs >= long.MinValue); filters++; }
        if (query.HasErrors == false) { q = q.Where(t => t.ErrorCount == 0); filters++; }
        if (query.StartDate is { } from) { var us = UnixMicros.From(from); q = q.Where(t => t.StartTimeUs >= us); filters++; }
        if (query.EndDate is { } to) { var us = UnixMicros.From(to); q = q.Where(t => t.StartTimeUs <= us); filters++; }
        if (!string.IsNullOrEmpty(query.SessionId)) { q = q.Where(t => t.SessionId == query.SessionId); filters++; }
        if (!string.IsNullOrEmpty(query.UserId)) { q = q.Where(t => t.UserId == query.UserId); filters++; }
        foreach (var filter in query.Scores)
        {
            // Driven from the scores' (project, name, value) index: traces whose score of that name matches.
            var scored = filter.Apply(db.Scores.Where(s => s.ProjectId == projectId)).Select(s => s.TraceId);
            q = q.Where(t => scored.Contains(t.TraceId));
            filters++;
        }

        var text = query.Q?.Trim();
        string? walkText = null;
        IReadOnlyCollection<long>? ids = null;
        if (!string.IsNullOrEmpty(text))
        {
            ids = await search.FindAsync(db, projectId, text, CountLimit, SearchCountLimit, ct);
            if (ids is null) walkText = text;
        }
        string? overflowed = null; // a name or model the index found in more than CountLimit traces
        foreach (var (field, value) in new[] { (TraceTextField.Name, query.Name), (TraceTextField.Models, query.Model) })
        {
            if (string.IsNullOrEmpty(value)) continue;
            var hits = await search.FindByFieldAsync(db, projectId, field, value, CountLimit, ct);
            ids = Intersect(ids, hits.Ids);
            if (hits.Overflowed) overflowed = value;
        }
        if (ids is not null)
        {
            // Narrowed to a set of ids: they are looked up by key. Written as `project_id || ''`, the project's scope
            // reads no index; as an equality, SQLite's planner (no statistics) walked every trace of the project through
            // one of its indexes instead, ~1 s for a count at 1M spans.
            // One JSON (SQLite) or array (PostgreSQL) parameter: as thousands of scalar parameters (EF 10's default),
            // binding them by name cost ~0.7 s for 6,670 ids.
            var set = ids.ToList();
            q = q.Where(t => EF.Parameter(set).Contains(t.Id) && t.ProjectId + "" == projectId);
        }
        else q = q.Where(t => t.ProjectId == projectId);
        // Totals the index already knows. The full text alone: its set is verified, so its size is the total. A name or
        // model alone found in more than CountLimit traces: a count would walk the list until 10,001 matched (ASCII text
        // only: PostgreSQL's index check is ILIKE, whose folding of other letters depends on the database's locale).
        (int, bool)? known = null;
        if (!string.IsNullOrEmpty(text)) { if (ids is not null && filters == 0) known = (ids.Count, true); }
        else if (overflowed is not null && filters == 1 && overflowed.All(char.IsAscii)) known = (CountLimit, false);
        return new FilteredTraces(q, filters > 0, ids is not null, walkText, known);
    }

    private static IReadOnlyCollection<long>? Intersect(IReadOnlyCollection<long>? a, IReadOnlyCollection<long>? b) =>
        a is null ? b : b is null ? a : a.Intersect(b).ToList();

    private static async Task<(int Total, bool Exact)> CappedCountAsync<T>(IQueryable<T> q, CancellationToken ct)
    {
        var n = await q.Take(CountLimit + 1).CountAsync(ct);
        return n > CountLimit ? (CountLimit, false) : (n, true);
    }

    /// <summary>
    /// The list in its order, checked against the full-text filter a chunk at a time (on a second connection while the
    /// first streams ids), until the page is full and, when other filters narrow the list, until the total is known up
    /// to <see cref="SearchCountLimit"/>. Only runs when the text alone matches more than that many traces (verified by the
    /// index), so an unfinished count is reported as that many, a true lower bound.
    /// </summary>
    private async Task<Page<TraceRecord>> WalkAsync(string projectId, string text, IQueryable<TraceRecord> sorted, TraceQuery query, bool filtered, CancellationToken ct)
    {
        await using var probe = await dbFactory.CreateDbContextAsync(ct);
        var page = new List<long>(query.Limit);
        var chunk = new List<long>();
        var chunkSize = 64;
        var matched = 0;
        var exhausted = true;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var stream = sorted.Select(t => t.Id).AsAsyncEnumerable().WithCancellation(ct);
            await foreach (var id in stream)
            {
                chunk.Add(id);
                if (chunk.Count < chunkSize) continue;
                await CheckAsync();
                chunkSize = Math.Min(chunkSize * 2, 2048);
                if (matched >= query.Offset + query.Limit && (!filtered || matched > SearchCountLimit)) { exhausted = false; break; }
            }
            if (exhausted) await CheckAsync();
        }
        var rows = await probe.Traces.AsNoTracking().Where(t => page.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var items = page.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
        return exhausted
            ? new Page<TraceRecord>(items, matched, query.Offset, query.Limit)
            : new Page<TraceRecord>(items, Math.Max(SearchCountLimit, query.Offset + items.Count), query.Offset, query.Limit, TotalExact: false);

        async Task CheckAsync()
        {
            if (chunk.Count == 0) return;
            var hits = await search.MatchingAsync(probe, projectId, text, chunk, ct);
            foreach (var id in chunk)
            {
                if (!hits.Contains(id)) continue;
                if (matched >= query.Offset && page.Count < query.Limit) page.Add(id);
                matched++;
            }
            chunk.Clear();
        }
    }

    private static IQueryable<TraceRecord> Sort(IQueryable<TraceRecord> q, TraceQuery query) => (query.Sort, query.Descending) switch
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

    public async Task<TraceDetail?> GetAsync(string projectId, string traceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trace = await db.Traces.AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId && t.TraceId == traceId, ct);
        if (trace is null) return null;
        var spans = await db.Spans.AsNoTracking()
            .Where(s => s.TracePk == trace.Id)
            .OrderBy(s => s.StartTimeUs).ThenBy(s => s.Id)
            .ToListAsync(ct);
        var scores = await db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId && s.TraceId == traceId)
            .OrderBy(s => s.CreatedAtUs).ThenBy(s => s.Id).ToListAsync(ct);
        return new TraceDetail(trace, spans, scores);
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
        if (!string.IsNullOrEmpty(query.Name)) q = q.WhereContains(s => s.Name, query.Name);
        var unfiltered = query is { Kind: null or "", Status: null or "", TraceId: null or "", Model: null or "", Name: null or "" };
        var (total, exact) = unfiltered
            ? ((int)Math.Min(int.MaxValue, await db.ProjectCounts.Where(c => c.ProjectId == projectId).SumAsync(c => c.Spans, ct)), true)
            : await CappedCountAsync(q, ct);
        var items = await q.OrderByDescending(s => s.StartTimeUs).ThenByDescending(s => s.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<SpanRecord>(items, total, query.Offset, query.Limit, exact);
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
            trace.Metadata = Vigil.Core.Ingest.IngestJson.ToStoredJson(current);
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

    /// <summary>
    /// The project's totals from what ingest keeps current, never a scan of its traces (0.7 s warm, 3.7 s cold at 2M
    /// traces): counts from <see cref="Projects.ProjectCount"/>, tokens and cost from the hourly metric rollups (every span
    /// is in them, as in the traces' sums), traces with errors from their partial index, the last start from the
    /// (project, start) index. The cost is summed as a double: nano-USD past ~$9.2 billion would overflow a 64-bit sum.
    /// </summary>
    public async Task<ProjectStats> GetStatsAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.ProjectCounts.AsNoTracking().Where(c => c.ProjectId == projectId)
            .GroupBy(c => c.ProjectId)
            .Select(g => new { Traces = g.Sum(c => c.Traces), Spans = g.Sum(c => c.Spans) })
            .SingleOrDefaultAsync(ct);
        if (counts is null || counts.Traces == 0) return new ProjectStats(0, 0, 0, 0, 0, 0, null);
        var sums = await db.MetricRollups.AsNoTracking().Where(r => r.ProjectId == projectId && r.BucketSeconds == Metrics.MetricRollup.Hour)
            .GroupBy(r => r.ProjectId)
            .Select(g => new { In = g.Sum(r => r.InputTokens), Out = g.Sum(r => r.OutputTokens), Cost = g.Sum(r => (double)r.CostNanoUsd) })
            .SingleOrDefaultAsync(ct);
        // The always-true bound lets SQLite's planner (no statistics) read the partial index of traces with errors.
        var errors = await db.Traces.CountAsync(t => t.ProjectId == projectId && t.ErrorCount > 0 && t.StartTimeUs >= long.MinValue, ct);
        var last = await db.Traces.Where(t => t.ProjectId == projectId).MaxAsync(t => (long?)t.StartTimeUs, ct);
        return new ProjectStats((int)Math.Min(int.MaxValue, counts.Traces), counts.Spans, errors, sums?.In ?? 0, sums?.Out ?? 0,
            (sums?.Cost ?? 0) / 1e9, UnixMicros.ToDateTime(last));
    }

    public static TraceSummary ToSummary(TraceRecord t, bool isNew) => new(
        t.TraceId, t.Name, t.Status, UnixMicros.ToDateTime(t.StartTimeUs), UnixMicros.ToDateTime(t.EndTimeUs), t.DurationMs,
        t.SpanCount, t.ErrorCount, t.InputTokens, t.OutputTokens, t.CostUsd, isNew, t.SessionId, t.UserId);
}
