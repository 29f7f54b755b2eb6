using System.Globalization;

namespace Vigil.Core.Alerting.Channels;

/// <summary>How values and thresholds read in messages (plain text; each format escapes it for its own markup).</summary>
public static class AlertText
{
    public static string Value(string? metric, double? value)
    {
        if (value is not { } v) return "no data";
        return metric switch
        {
            "error_rate" => (v * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %",
            "latency_p50" or "latency_p95" or "latency_p99" or "latency" => v.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
            "cost_per_hour" => "$" + v.ToString("0.####", CultureInfo.InvariantCulture) + "/h",
            "tokens_per_hour" => v.ToString("#,0", CultureInfo.InvariantCulture) + " tokens/h",
            "span_count" => v.ToString("#,0", CultureInfo.InvariantCulture) + " spans",
            _ => v.ToString("0.####", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>e.g. "warning above 5 %, critical above 10 %" (drift: "PSI warning from 0.1, critical from 0.2").</summary>
    public static string Thresholds(string? metric, AlertThresholds? t)
    {
        if (t is null) return "–";
        if (t.Of == "psi")
            return string.Create(CultureInfo.InvariantCulture, $"PSI medium from {t.Warning:0.##}, high from {t.Critical:0.##}");
        var parts = new List<string>();
        if (t.Warning is { } w) parts.Add($"warning {t.Direction} {Value(metric, w)}");
        if (t.Critical is { } c) parts.Add($"critical {t.Direction} {Value(metric, c)}");
        return parts.Count == 0 ? "–" : string.Join(", ", parts);
    }

    public static string Emoji(AlertEvent e) => e.State switch
    {
        "ok" or "resolved" => "✅",
        "test" => "🧪",
        _ => e.Level == AlertSeverity.Critical ? "🔴" : "🟠",
    };
}
