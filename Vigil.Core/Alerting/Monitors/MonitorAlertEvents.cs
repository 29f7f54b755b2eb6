using System.Globalization;
using Vigil.Core.Alerting.Channels;

namespace Vigil.Core.Alerting.Monitors;

/// <summary>How a monitor's state change reads in the outbox, the bell and every channel.</summary>
public static class MonitorAlertEvents
{
    public static AlertEvent From(AlertMonitor m, MonitorStateChange c) => new()
    {
        Source = AlertSource.Monitor,
        State = c.ToState,
        PreviousState = c.FromState,
        Change = Change(c.FromState, c.ToState),
        // Back to ok carries the severity it recovers from, so a channel that took the alert also takes its resolution.
        Severity = c.ToState == MonitorState.Ok ? c.FromState : c.ToState,
        Title = Title(c),
        Summary = Summary(m, c),
        ProjectId = c.ProjectId,
        Metric = c.Metric,
        Value = c.Value,
        Thresholds = new AlertThresholds(c.Warning, c.Critical, c.Direction),
        Path = "/alerts",
        OccurredAtUs = c.AtUs,
        Monitor = new MonitorAlertInfo(m.Id, m.Name, m.WindowMinutes, m.SpanKind, m.SpanName, m.Model, c.Reason),
    };

    /// <summary>fired (from ok), escalated, deescalated, resolved (to ok).</summary>
    public static string Change(string from, string to) =>
        to == MonitorState.Ok ? "resolved"
        : from == MonitorState.Ok ? "fired"
        : MonitorState.Rank(to) > MonitorState.Rank(from) ? "escalated" : "deescalated";

    public static string Title(MonitorStateChange c) => c.ToState == MonitorState.Ok
        ? $"Monitor '{c.MonitorName}' is back to ok"
        : $"Monitor '{c.MonitorName}' is {c.ToState}";

    public static string Summary(AlertMonitor m, MonitorStateChange c)
    {
        var scope = Scope(m);
        if (c.Reason == MonitorReason.NoData)
            return string.Create(CultureInfo.InvariantCulture, $"No {scope} for {m.NoDataMinutes} minutes.");
        var metric = m.ScoreName is { } score ? $"Average score '{score}'" : MonitorMetric.Label(c.Metric);
        return $"{metric} of {scope} over the last {Window(m.WindowMinutes)}: {AlertText.Value(c.Metric, c.Value)} "
            + $"({AlertText.Thresholds(c.Metric, new AlertThresholds(c.Warning, c.Critical, c.Direction))}); {c.FromState} → {c.ToState}.";
    }

    /// <summary>e.g. "llm spans named 'chat' of model gpt-4o", or "spans".</summary>
    public static string Scope(AlertMonitor m)
    {
        var s = (m.SpanKind is null ? "" : m.SpanKind + " ") + "spans";
        if (m.SpanName is not null) s += $" named '{m.SpanName}'";
        if (m.Model is not null) s += $" of model {m.Model}";
        return s;
    }

    public static string Window(int minutes) => minutes switch
    {
        >= 60 when minutes % 60 == 0 => $"{minutes / 60} h",
        _ => $"{minutes} min",
    };
}
