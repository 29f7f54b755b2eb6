using Microsoft.EntityFrameworkCore;
using Vigil.Core.Scores;
using Vigil.Core.Storage;

namespace Vigil.Core.Drift;

/// <summary>
/// Adds the numeric scores of both windows to the span samples, per span group and score name: a score belongs to its
/// span's group (a trace-level score to its root span's), and its time is when it was recorded. Provider-neutral LINQ
/// over the scores' (project, created_at) index; scores of traces not stored yet wait for a later run.
/// </summary>
public sealed class ScoreWindowReader(IDbContextFactory<VigilDbContext> dbFactory)
{
    public async Task AddAsync(string projectId, long baselineStartUs, long currentStartUs, long endUs, DriftGroupBy groupBy,
        Dictionary<DriftGroup, WindowSamples> baseline, Dictionary<DriftGroup, WindowSamples> current, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scores = db.Scores.AsNoTracking().Where(s => s.ProjectId == projectId && s.CreatedAtUs >= baselineStartUs && s.CreatedAtUs < endUs);
        var rows = ResolvedScore.Of(db, scores).OrderBy(r => r.CreatedAtUs).ThenBy(r => r.Id).AsAsyncEnumerable();
        await foreach (var r in rows.WithCancellation(ct))
        {
            if (r.Kind is null) continue; // the span it names is not stored (yet)
            var group = new DriftGroup(r.Kind, groupBy == DriftGroupBy.KindName ? r.SpanName : null, groupBy == DriftGroupBy.KindModel ? r.Model : null);
            var window = r.CreatedAtUs < currentStartUs ? baseline : current;
            if (!window.TryGetValue(group, out var samples)) window[group] = samples = new WindowSamples();
            samples.AddScore(r.Name, r.Value);
        }
    }
}
