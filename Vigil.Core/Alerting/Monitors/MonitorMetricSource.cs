using Vigil.Core.Scores;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// The monitors' metrics: <c>score_avg</c> from the scores' (project, name, created_at) index, every other metric from the
/// spans (<see cref="SpanWindowMetricSource"/>), each bounded by its window.
/// </summary>
public sealed class MonitorMetricSource(SpanWindowMetricSource spans, ScoreStatsService scores) : IMonitorMetricSource
{
    public async Task<IReadOnlyList<MonitorReading>> ReadAsync(string projectId, IReadOnlyList<MonitorQuery> queries, long nowUs, CancellationToken ct = default)
    {
        var fromSpans = await spans.ReadAsync(projectId, queries.Where(q => q.Metric != MonitorMetric.ScoreAvg).ToList(), nowUs, ct);
        var readings = new MonitorReading[queries.Count];
        var next = 0;
        var end = DateTimeOffset.UnixEpoch.AddTicks(nowUs * 10);
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            if (q.Metric != MonitorMetric.ScoreAvg) { readings[i] = fromSpans[next++]; continue; }
            var average = await scores.AverageAsync(projectId, q.ScoreName!, end.AddMinutes(-q.WindowMinutes), end, q.SpanKind, q.SpanName, q.Model, ct);
            readings[i] = new MonitorReading(average.Mean, average.Count);
        }
        return readings;
    }
}
