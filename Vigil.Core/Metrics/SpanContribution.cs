namespace Vigil.Core.Metrics;

/// <summary>What one stored span adds to the metric rollups: the columns a rollup sums, as the span row holds them.</summary>
internal readonly record struct SpanContribution(
    string ProjectId, long StartUs, long? EndUs, string Kind, string? Model, string Status,
    long? InputTokens, long? OutputTokens, double? CostUsd)
{
    public long MinuteUs => Floor(StartUs, MetricRollup.Minute);

    public static long Floor(long us, int seconds)
    {
        var width = seconds * 1_000_000L;
        var r = us % width;
        return r < 0 ? us - r - width : us - r;
    }
}
