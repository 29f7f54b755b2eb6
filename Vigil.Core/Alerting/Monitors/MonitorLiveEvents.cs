using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>A monitor changed state (the bell's <c>notification</c> event follows unless it is silenced).</summary>
public sealed record MonitorStateEvent(string ProjectId, MonitorStateChange Change) : LiveEvent(ProjectId)
{
    public override string Type => "monitor_state";
    public override object Payload => new
    {
        Change.MonitorId, Change.MonitorName, Change.Metric, Change.FromState, Change.ToState, Change.Reason, Change.Value,
        Change.Warning, Change.Critical, Change.Direction, Change.Silenced, At = UnixMicros.ToDateTime(Change.AtUs),
    };
}

/// <summary>A project's monitors were evaluated: new last values for the Alerts page.</summary>
public sealed record MonitorsEvaluatedEvent(string ProjectId, int Monitors, long AtUs) : LiveEvent(ProjectId)
{
    public override string Type => "monitors_evaluated";
    public override object Payload => new { ProjectId, Monitors, At = UnixMicros.ToDateTime(AtUs) };
}
