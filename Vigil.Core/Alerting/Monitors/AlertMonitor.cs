namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// A threshold monitor: one metric of a project's spans over a rolling window (optionally one kind, name or model),
/// judged every evaluation against a warning and a critical level. Its state moves ok → warning → critical → ok, each
/// change only after the new state held for <see cref="Hysteresis"/> evaluations in a row.
/// </summary>
public sealed class AlertMonitor
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string Name { get; set; }
    /// <summary>See <see cref="MonitorMetric"/>.</summary>
    public required string Metric { get; set; }
    public int WindowMinutes { get; set; }
    public double? Warning { get; set; }
    public double? Critical { get; set; }
    /// <summary>above | below.</summary>
    public required string Direction { get; set; }
    public string? SpanKind { get; set; }
    public string? SpanName { get; set; }
    public string? Model { get; set; }
    /// <summary>The score name a <c>score_avg</c> monitor averages; null for every other metric.</summary>
    public string? ScoreName { get; set; }
    /// <summary>span_count only: no matching span for this many minutes is critical on its own.</summary>
    public int? NoDataMinutes { get; set; }
    /// <summary>Evaluations a new state must hold; null = the server default (<see cref="AlertingOptions.Hysteresis"/>).</summary>
    public int? Hysteresis { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>ok | warning | critical.</summary>
    public string State { get; set; } = MonitorState.Ok;
    /// <summary>threshold | no_data when not ok.</summary>
    public string? StateReason { get; set; }
    public long StateSinceUs { get; set; }
    /// <summary>The state the last evaluations measured while it has not held long enough yet.</summary>
    public string? PendingState { get; set; }
    public int PendingCount { get; set; }
    public double? LastValue { get; set; }
    public long? LastEvaluatedAtUs { get; set; }
    /// <summary>Until then state changes are stored but neither notified nor sent to channels.</summary>
    public long? SilencedUntilUs { get; set; }
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }

    public bool IsSilenced(long nowUs) => SilencedUntilUs is { } until && until > nowUs;
}
