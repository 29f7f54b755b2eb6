namespace Vigil.Core.Live;

/// <summary>Something committed that subscribers may want to show: see DESIGN.md "Live feed" for the event names.</summary>
public abstract record LiveEvent(string ProjectId)
{
    /// <summary>The wire name: spans, trace, drift_alert, drift_resolved, replay_status.</summary>
    public abstract string Type { get; }

    /// <summary>What external clients receive as the message argument: every event names its fields (never <c>this</c>).</summary>
    public abstract object Payload { get; }

    /// <summary>
    /// Published by another instance and relayed over Redis (see <c>Cluster/RedisLiveRelay</c>). Dashboard subscribers
    /// show it like any other; it is not relayed again, and the hub leaves it to the SignalR backplane.
    /// </summary>
    public bool Remote { get; init; }
}

/// <summary>A batch of spans was written (summaries only, never the payloads).</summary>
public sealed record SpansEvent(string ProjectId, IReadOnlyList<SpanSummary> Spans) : LiveEvent(ProjectId)
{
    public override string Type => "spans";
    public override object Payload => Spans;
}

/// <summary>A trace's rollup changed.</summary>
public sealed record TraceEvent(string ProjectId, TraceSummary Trace) : LiveEvent(ProjectId)
{
    public override string Type => "trace";
    public override object Payload => Trace;
}
