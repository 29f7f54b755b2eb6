namespace Vigil.Core.Alerting.Monitors;

/// <summary>A monitor changed state: the history, with the value measured at the change and the levels it was judged against.</summary>
public sealed class MonitorStateChange
{
    public long Id { get; set; }
    public long MonitorId { get; set; }
    public required string ProjectId { get; set; }
    /// <summary>The monitor's name at the time (it may be renamed later).</summary>
    public required string MonitorName { get; set; }
    public required string Metric { get; set; }
    public required string FromState { get; set; }
    public required string ToState { get; set; }
    /// <summary>threshold | no_data (to a non-ok state); null back to ok.</summary>
    public string? Reason { get; set; }
    public double? Value { get; set; }
    public double? Warning { get; set; }
    public double? Critical { get; set; }
    public required string Direction { get; set; }
    /// <summary>The monitor was silenced: stored, not notified nor sent.</summary>
    public bool Silenced { get; set; }
    public long AtUs { get; set; }
}
