namespace Vigil.Core.Projects;

/// <summary>
/// How many traces and spans a project holds, kept current by ingest and deletion, so the trace list's total and the
/// retention limit never count rows. Sharded like <see cref="Metrics.MetricRollup"/>: the project's figure is the sum of its rows.
/// </summary>
public sealed class ProjectCount
{
    public required string ProjectId { get; set; }
    public int Shard { get; set; }
    public long Traces { get; set; }
    public long Spans { get; set; }
}
