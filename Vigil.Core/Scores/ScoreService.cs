using Microsoft.EntityFrameworkCore;
using Vigil.Core.Live;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Scores;

/// <summary>Adds, lists and deletes scores. Every call is scoped to one project; a score may name a trace not stored (yet).</summary>
public sealed class ScoreService(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, LiveFeed liveFeed, TimeProvider time)
{
    /// <summary>Validates and stores one score; the errors name their fields when it is invalid.</summary>
    public async Task<(ScoreRecord? Score, Dictionary<string, string[]> Errors)> AddAsync(string projectId, ScoreInput input,
        string defaultSource = ScoreSource.Api, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var score = ScoreValidator.Create(projectId, input, UnixMicros.Now(time), (f, m) => errors[f] = [m], defaultSource);
        if (score is null) return (null, errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            db.Scores.Add(score);
            await db.SaveChangesAsync(ct);
        }
        liveFeed.Publish(new ScoreEvent(projectId, ScoreSummary.From(score)));
        return (score, errors);
    }

    /// <summary>
    /// Scores that came with spans (SDK, OTLP evaluation events). A span sent again brings its scores again, so these
    /// are keyed by (trace, span, name, source): a repeat updates the value instead of adding a row.
    /// </summary>
    internal async Task UpsertAttachedAsync(string projectId, List<ScoreInput> inputs, long nowUs, CancellationToken ct)
    {
        var scores = new List<ScoreRecord>(inputs.Count);
        foreach (var input in inputs)
            if (ScoreValidator.Create(projectId, input, nowUs, (_, _) => { }, ScoreSource.Sdk) is { } s) scores.Add(s);
        if (scores.Count == 0) return;
        var traceIds = scores.Select(s => s.TraceId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            var existing = await db.Scores.Where(s => s.ProjectId == projectId && traceIds.Contains(s.TraceId)
                && (s.Source == ScoreSource.Sdk || s.Source == ScoreSource.Otel)).ToListAsync(ct);
            var byKey = existing.GroupBy(s => (s.TraceId, s.SpanId, s.Name, s.Source)).ToDictionary(g => g.Key, g => g.First());
            foreach (var s in scores)
            {
                if (byKey.TryGetValue((s.TraceId, s.SpanId, s.Name, s.Source), out var stored))
                {
                    stored.DataType = s.DataType;
                    stored.Value = s.Value;
                    stored.StringValue = s.StringValue;
                    stored.Comment = s.Comment;
                    stored.CreatedAtUs = s.CreatedAtUs;
                }
                else
                {
                    db.Scores.Add(s);
                    byKey[(s.TraceId, s.SpanId, s.Name, s.Source)] = s;
                }
            }
            await db.SaveChangesAsync(ct);
        }
        foreach (var s in scores) liveFeed.Publish(new ScoreEvent(projectId, ScoreSummary.From(s)));
    }

    public async Task<Page<ScoreRecord>> ListAsync(string projectId, ScoreQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId);
        if (!string.IsNullOrEmpty(query.TraceId)) q = q.Where(s => s.TraceId == query.TraceId);
        if (!string.IsNullOrEmpty(query.SpanId)) q = q.Where(s => s.SpanId == query.SpanId);
        if (!string.IsNullOrEmpty(query.Name)) q = q.Where(s => s.Name == query.Name);
        if (!string.IsNullOrEmpty(query.Source)) q = q.Where(s => s.Source == query.Source);
        if (query.StartDate is { } from) { var us = UnixMicros.From(from); q = q.Where(s => s.CreatedAtUs >= us); }
        if (query.EndDate is { } to) { var us = UnixMicros.From(to); q = q.Where(s => s.CreatedAtUs <= us); }
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(s => s.CreatedAtUs).ThenByDescending(s => s.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
        return new Page<ScoreRecord>(items, total, query.Offset, query.Limit);
    }

    /// <summary>A trace's scores, its spans' included, oldest first.</summary>
    public async Task<IReadOnlyList<ScoreRecord>> ForTraceAsync(string projectId, string traceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId && s.TraceId == traceId)
            .OrderBy(s => s.CreatedAtUs).ThenBy(s => s.Id).ToListAsync(ct);
    }

    /// <summary>The trace-level and span scores of several traces (a page of the trace list), by trace id.</summary>
    public async Task<Dictionary<string, List<ScoreRecord>>> ForTracesAsync(string projectId, IReadOnlyCollection<string> traceIds, CancellationToken ct = default)
    {
        if (traceIds.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = traceIds.ToList();
        var rows = await db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId && ids.Contains(s.TraceId))
            .OrderBy(s => s.CreatedAtUs).ThenBy(s => s.Id).ToListAsync(ct);
        return rows.GroupBy(s => s.TraceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The project's score names, for filters and pickers.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId).Select(s => s.Name).Distinct().OrderBy(n => n).Take(500).ToListAsync(ct);
    }

    public async Task<bool> DeleteAsync(string projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        ScoreRecord? score;
        using (await writeGate.EnterAsync(ct))
        {
            score = await db.Scores.FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == id, ct);
            if (score is null) return false;
            db.Scores.Remove(score);
            await db.SaveChangesAsync(ct);
        }
        liveFeed.Publish(new ScoreEvent(projectId, ScoreSummary.From(score, deleted: true)));
        return true;
    }
}
