namespace Vigil.Core.Metrics;

/// <summary>
/// Span metrics of one project, kind and model over one minute or one hour (by span start time), kept current at ingest
/// (<see cref="RollupDeltas"/>) and by deletion, so metrics never scan spans. Additive: every column is a sum, so a
/// re-sent span is subtracted and added again, and partial rows add up.
/// </summary>
public sealed class MetricRollup
{
    public const int Minute = 60;
    public const int Hour = 3600;

    public required string ProjectId { get; set; }
    /// <summary><see cref="Minute"/> or <see cref="Hour"/>.</summary>
    public int BucketSeconds { get; set; }
    /// <summary>Start of the bucket, Unix microseconds, a multiple of the bucket width.</summary>
    public long BucketStartUs { get; set; }
    public required string Kind { get; set; }
    /// <summary>The spans' model, or "" for spans without one.</summary>
    public string Model { get; set; } = "";
    /// <summary>
    /// Writers that run at once (PostgreSQL's writer loops) each add into their own row, so they never wait on each other's
    /// row lock until commit; readers sum the shards. A shard's row alone may hold negative counts (a span added by one
    /// writer and re-sent through another). SQLite has one writer: always 0.
    /// </summary>
    public int Shard { get; set; }
    public long SpanCount { get; set; }
    public long ErrorCount { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    /// <summary>Cost in nano-USD (10⁻⁹), so sums are exact whatever the order of adds and subtracts.</summary>
    public long CostNanoUsd { get; set; }
    /// <summary>Spans with an end time, whose durations are in the sketch.</summary>
    public long LatencyCount { get; set; }
    public long LatencySumUs { get; set; }
    /// <summary><see cref="LatencySketch"/> of the durations, encoded.</summary>
    public byte[]? LatencySketch { get; set; }

    public static long ToNanoUsd(double? costUsd) => costUsd is { } c ? (long)Math.Round(c * 1e9) : 0;
}
