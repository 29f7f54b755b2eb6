namespace Vigil.Core.Live;

/// <summary>Something committed that subscribers may want to show: see DESIGN.md "Live feed" for the event names.</summary>
public abstract record LiveEvent(string ProjectId)
{
    /// <summary>The wire name: spans, trace, drift_alert, drift_resolved, replay_status.</summary>
    public abstract string Type { get; }
}

/// <summary>A batch of spans was written (summaries only, never the payloads).</summary>
public sealed record SpansEvent(string ProjectId, IReadOnlyList<SpanSummary> Spans) : LiveEvent(ProjectId)
{
    public override string Type => "spans";
}

/// <summary>A trace's rollup changed.</summary>
public sealed record TraceEvent(string ProjectId, TraceSummary Trace) : LiveEvent(ProjectId)
{
    public override string Type => "trace";
}
