using Vigil.Core.Live;

namespace Vigil.Core.Drift;

/// <summary>An alert was opened, or an open one changed (values, severity) at a later run.</summary>
public sealed record DriftAlertEvent(string ProjectId, DriftAlert Alert) : LiveEvent(ProjectId)
{
    public override string Type => "drift_alert";
    public override object Payload => DriftAlertView.From(Alert);
}

/// <summary>An alert was resolved, by a user or because its group went back under the medium threshold.</summary>
public sealed record DriftResolvedEvent(string ProjectId, DriftAlert Alert) : LiveEvent(ProjectId)
{
    public override string Type => "drift_resolved";
    public override object Payload => DriftAlertView.From(Alert);
}
