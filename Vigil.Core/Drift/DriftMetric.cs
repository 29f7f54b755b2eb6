namespace Vigil.Core.Drift;

/// <summary>The metrics drift compares (the wire names of <see cref="DriftAlert.Metric"/>).</summary>
public static class DriftMetric
{
    /// <summary>duration_ms.</summary>
    public const string Latency = "latency";
    /// <summary>input_tokens + output_tokens.</summary>
    public const string Tokens = "tokens";
    /// <summary>cost_usd.</summary>
    public const string Cost = "cost";
    /// <summary>The 0/1 outcome status = error, compared as a two-bin PSI.</summary>
    public const string ErrorRate = "error_rate";
    /// <summary>output_tokens: the typed stand-in for the length of the output, so detection never parses JSON.</summary>
    public const string OutputLength = "output_length";

    public static readonly IReadOnlyList<string> All = [Latency, Tokens, Cost, ErrorRate, OutputLength];
}
