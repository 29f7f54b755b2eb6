namespace Vigil.Core.Alerting.Monitors;

/// <summary>One evaluation's measured value (null: nothing to measure), kept <see cref="AlertingOptions.SampleRetentionHours"/> for the sparkline.</summary>
public sealed class MonitorSample
{
    public long MonitorId { get; set; }
    public long AtUs { get; set; }
    public double? Value { get; set; }
}
