namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// What a monitor measures over its window. <c>score_avg</c> is the mean of one numeric score name (booleans as 1/0)
/// recorded in the window, optionally of spans of a kind, name or model (a trace-level score counts as its root span's).
/// </summary>
public static class MonitorMetric
{
    public const string ErrorRate = "error_rate";
    public const string LatencyP50 = "latency_p50";
    public const string LatencyP95 = "latency_p95";
    public const string LatencyP99 = "latency_p99";
    public const string CostPerHour = "cost_per_hour";
    public const string TokensPerHour = "tokens_per_hour";
    public const string SpanCount = "span_count";
    public const string ScoreAvg = "score_avg";

    /// <summary>The metrics read from spans (<see cref="SpanWindowMetricSource"/>).</summary>
    public static readonly IReadOnlyList<string> OfSpans = [ErrorRate, LatencyP50, LatencyP95, LatencyP99, CostPerHour, TokensPerHour, SpanCount];

    public static readonly IReadOnlyList<string> All = [.. OfSpans, ScoreAvg];

    public static bool IsLatency(string metric) => metric is LatencyP50 or LatencyP95 or LatencyP99;

    public static double Quantile(string metric) => metric switch
    {
        LatencyP50 => 0.50,
        LatencyP95 => 0.95,
        LatencyP99 => 0.99,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a latency percentile"),
    };

    public static string Label(string metric) => metric switch
    {
        ErrorRate => "error rate",
        LatencyP50 => "latency p50",
        LatencyP95 => "latency p95",
        LatencyP99 => "latency p99",
        CostPerHour => "cost per hour",
        TokensPerHour => "tokens per hour",
        SpanCount => "span count",
        ScoreAvg => "average score",
        _ => metric,
    };
}

public static class MonitorState
{
    public const string Ok = "ok";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static int Rank(string state) => state switch { Critical => 2, Warning => 1, _ => 0 };
}

public static class MonitorDirection
{
    public const string Above = "above";
    public const string Below = "below";
}

public static class MonitorReason
{
    public const string Threshold = "threshold";
    public const string NoData = "no_data";
}
