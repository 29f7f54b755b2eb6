using System.Globalization;
using MudBlazor;
using Vigil.Core.Drift;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Components.DriftAlerts;

/// <summary>How drift values read on cards: each metric in its own unit.</summary>
public static class DriftFormat
{
    public static string Value(string metric, double v) => metric switch
    {
        DriftMetric.Latency => Format.Duration(v),
        DriftMetric.Cost => Format.Cost(v),
        DriftMetric.ErrorRate => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %",
        DriftMetric.Tokens or DriftMetric.OutputLength => v.ToString("N0", CultureInfo.InvariantCulture) + " tokens",
        _ => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public static string Metric(string metric) => metric switch
    {
        DriftMetric.ErrorRate => "error rate",
        DriftMetric.OutputLength => "output length",
        _ when DriftMetric.ScoreName(metric) is { } score => $"score {score}",
        _ => metric,
    };

    public static string Group(DriftAlert a) => new DriftGroup(a.SpanKind, a.SpanName, a.Model).ToString();

    public static Color SeverityColor(DriftAlert a) => a.Resolved ? Color.Default : a.Severity == DriftSeverity.High ? Color.Error : Color.Warning;

    public static string Psi(double psi) => psi.ToString("0.###", CultureInfo.InvariantCulture);
}
