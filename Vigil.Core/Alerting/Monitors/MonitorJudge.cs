namespace Vigil.Core.Alerting.Monitors;

/// <summary>The state one evaluation measures (before hysteresis), and how a monitor's state follows it.</summary>
public static class MonitorJudge
{
    /// <summary>
    /// "No data" is critical on its own; otherwise the value against the thresholds (above: strictly greater, below:
    /// strictly less). Nothing to measure (no span in the window for a rate or percentile) is ok.
    /// </summary>
    public static (string State, string? Reason) Measure(AlertMonitor m, MonitorReading reading)
    {
        if (m.NoDataMinutes is not null && reading.NoData) return (MonitorState.Critical, MonitorReason.NoData);
        if (reading.Value is not { } v) return (MonitorState.Ok, null);
        if (Beyond(v, m.Critical, m.Direction)) return (MonitorState.Critical, MonitorReason.Threshold);
        if (Beyond(v, m.Warning, m.Direction)) return (MonitorState.Warning, MonitorReason.Threshold);
        return (MonitorState.Ok, null);
    }

    private static bool Beyond(double value, double? threshold, string direction) =>
        threshold is { } t && (direction == MonitorDirection.Below ? value < t : value > t);

    /// <summary>
    /// Hysteresis: a measured state different from the current one must be measured <paramref name="hysteresis"/> times in a
    /// row before the monitor takes it; measuring the current state again clears what was pending.
    /// </summary>
    public static Transition Next(string state, string? pending, int pendingCount, string measured, int hysteresis)
    {
        if (measured == state) return new Transition(state, null, 0, false);
        var count = measured == pending ? pendingCount + 1 : 1;
        return count >= Math.Max(1, hysteresis) ? new Transition(measured, null, 0, true) : new Transition(state, measured, count, false);
    }

    public readonly record struct Transition(string State, string? Pending, int PendingCount, bool Changed);
}
