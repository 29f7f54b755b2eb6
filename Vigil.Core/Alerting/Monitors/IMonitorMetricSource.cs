namespace Vigil.Core.Alerting.Monitors;

/// <summary>What one monitor asks of the data: a metric over the window ending now, for all spans or one kind / name / model.</summary>
public sealed record MonitorQuery(string Metric, int WindowMinutes, string? SpanKind, string? SpanName, string? Model, int? NoDataMinutes = null,
    string? ScoreName = null)
{
    public static MonitorQuery Of(AlertMonitor m) => new(m.Metric, m.WindowMinutes, m.SpanKind, m.SpanName, m.Model, m.NoDataMinutes, m.ScoreName);

    /// <summary>How far back this query reads.</summary>
    public int LookbackMinutes => Math.Max(WindowMinutes, NoDataMinutes ?? 0);
}

/// <summary>
/// A measured value (null when there was nothing to measure, e.g. a latency percentile over no finished span), the number
/// of matching spans in the window, and for "no data" monitors whether no matching span started in the last N minutes.
/// </summary>
public sealed record MonitorReading(double? Value, long SpanCount, bool NoData = false);

/// <summary>
/// Where monitors read their metrics. It must answer from aggregates bounded by the window, never a scan of the whole
/// span history. The first implementation (<see cref="SpanWindowMetricSource"/>) reads the window's spans through the
/// (project_id, start_time_us) and (project_id, kind, start_time_us) indexes; per-minute rollups maintained at ingest
/// replace it with a read of at most 1,440 minutes per group.
/// </summary>
public interface IMonitorMetricSource
{
    /// <summary>One reading per query (same order) over the windows ending at <paramref name="nowUs"/>, for one project's monitors.</summary>
    Task<IReadOnlyList<MonitorReading>> ReadAsync(string projectId, IReadOnlyList<MonitorQuery> queries, long nowUs, CancellationToken ct = default);
}
