using Microsoft.EntityFrameworkCore;
using Vigil.Core.Metrics;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests.Metrics;

/// <summary>The metric rollups and project counts a database should hold, recounted from its stored spans and traces.</summary>
internal static class RollupRecount
{
    /// <summary>Asserts that every rollup row (shards summed) and every project count equals a recount from the spans.</summary>
    public static async Task AssertMatchesSpansAsync(VigilDbContext db)
    {
        var expected = new RollupDeltas();
        await foreach (var s in db.Spans.AsNoTracking().AsAsyncEnumerable())
        {
            expected.Add(new SpanContribution(s.ProjectId, s.StartTimeUs, s.EndTimeUs, s.Kind, s.Model, s.Status, s.InputTokens, s.OutputTokens, s.CostUsd), 1);
            expected.AddCounts(s.ProjectId, 0, 1);
        }
        foreach (var t in await db.Traces.AsNoTracking().GroupBy(t => t.ProjectId).Select(g => new { g.Key, N = g.LongCount() }).ToListAsync())
            expected.AddCounts(t.Key, t.N, 0);

        var want = expected.Rows().ToDictionary(r => r.Key, r => Describe(Row(r.Key, r.Sums)));
        var stored = await db.MetricRollups.AsNoTracking().ToListAsync();
        var have = stored.GroupBy(r => new RollupDeltas.Key(r.ProjectId, r.BucketSeconds, r.BucketStartUs, r.Kind, r.Model))
            .Select(g =>
            {
                var sum = new RollupDeltas.Sums();
                foreach (var r in g)
                {
                    sum.SpanCount += r.SpanCount; sum.ErrorCount += r.ErrorCount; sum.InputTokens += r.InputTokens; sum.OutputTokens += r.OutputTokens;
                    sum.CostNanoUsd += r.CostNanoUsd; sum.LatencyCount += r.LatencyCount; sum.LatencySumUs += r.LatencySumUs;
                    if (r.LatencySketch is { } sk) sum.Sketch.MergeEncoded(sk);
                }
                return (g.Key, Sums: sum);
            })
            .Where(x => !x.Sums.IsZero)
            .ToDictionary(x => x.Key, x => Describe(Row(x.Key, x.Sums)));
        Assert.Equal(want.Keys.OrderBy(k => k.ToString()), have.Keys.OrderBy(k => k.ToString()));
        foreach (var (key, value) in want) Assert.Equal(value, have[key]);

        var counts = (await db.ProjectCounts.AsNoTracking().ToListAsync()).GroupBy(c => c.ProjectId)
            .ToDictionary(g => g.Key, g => (g.Sum(c => c.Traces), g.Sum(c => c.Spans)));
        var wantCounts = expected.Counts().ToDictionary(c => c.ProjectId, c => (c.Traces, c.Spans));
        foreach (var (project, value) in wantCounts) Assert.Equal(value, counts.GetValueOrDefault(project));
        Assert.All(counts.Where(c => !wantCounts.ContainsKey(c.Key)), c => Assert.Equal((0L, 0L), c.Value));
    }

    private static MetricRollup Row(RollupDeltas.Key key, RollupDeltas.Sums sums)
    {
        var row = new MetricRollup { ProjectId = key.ProjectId, Kind = key.Kind };
        sums.AddTo(row);
        return row;
    }

    private static string Describe(MetricRollup r) =>
        $"n={r.SpanCount} err={r.ErrorCount} in={r.InputTokens} out={r.OutputTokens} cost={r.CostNanoUsd} lat={r.LatencyCount}/{r.LatencySumUs} sketch={Convert.ToHexString(r.LatencySketch ?? [])}";
}
