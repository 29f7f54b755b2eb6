using MudBlazor;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Monitors;

namespace Vigil.Web.Components.Alerting;

/// <summary>How alert states, levels and values read on the Alerts page.</summary>
public static class AlertFormat
{
    public static Color StateColor(string state) => state switch
    {
        MonitorState.Critical or "high" or "critical" => Color.Error,
        MonitorState.Warning or "medium" => Color.Warning,
        MonitorState.Ok or "resolved" => Color.Success,
        _ => Color.Default,
    };

    public static Color OutcomeColor(string outcome) => outcome switch
    {
        "delivered" => Color.Success,
        "retry" or "pending" => Color.Warning,
        "failed" => Color.Error,
        _ => Color.Default,
    };

    public static string Value(string metric, double? value) => AlertText.Value(metric, value);

    public static string Thresholds(AlertMonitor m) =>
        AlertText.Thresholds(m.Metric, new AlertThresholds(m.Warning, m.Critical, m.Direction))
        + (m.NoDataMinutes is { } n ? $"{(m.Warning is null && m.Critical is null ? "" : "; ")}critical after {n} min without spans" : "");

    public static string Scope(AlertMonitor m) => MonitorAlertEvents.Scope(m) + " · " + MonitorAlertEvents.Window(m.WindowMinutes);
}

/// <summary>One line of "open alerts": a monitor that is not ok, or an unresolved drift alert.</summary>
public sealed record OpenAlertRow(string Source, string Level, string Title, string Detail, long SinceUs, string Href, long Id);

/// <summary>One line of the history: a monitor's state change, or a drift alert opened or resolved.</summary>
public sealed record HistoryRow(string Source, string From, string To, string Title, string Detail, long AtUs, bool Silenced);
