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

    /// <summary>The span metrics; numeric scores add one metric per score name (<see cref="Score"/>).</summary>
    public static readonly IReadOnlyList<string> All = [Latency, Tokens, Cost, ErrorRate, OutputLength];

    /// <summary>The prefix of a score's metric: <c>score:helpfulness</c>.</summary>
    public const string ScorePrefix = "score:";

    /// <summary>Room for the prefix and the longest score name.</summary>
    public const int MaxLength = 256;

    /// <summary>The metric of the numeric (or boolean, as 1/0) score <paramref name="name"/>.</summary>
    public static string Score(string name) => ScorePrefix + name;

    /// <summary>The score name of a score metric, else null.</summary>
    public static string? ScoreName(string metric) => metric.StartsWith(ScorePrefix, StringComparison.Ordinal) ? metric[ScorePrefix.Length..] : null;
}
