namespace Vigil.Core.Alerting.Delivery;

/// <summary>One HTTP attempt of a delivery: the channel's delivery log.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public long ChannelId { get; set; }
    public required string ProjectId { get; set; }
    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; set; }
    public long AtUs { get; set; }
    /// <summary>The receiver's HTTP status; null when no answer came (connection refused, timeout).</summary>
    public int? StatusCode { get; set; }
    public double LatencyMs { get; set; }
    public string? Error { get; set; }
    /// <summary>delivered | retry | failed.</summary>
    public required string Outcome { get; set; }
    /// <summary>When the next attempt is due (outcome retry).</summary>
    public long? NextAttemptAtUs { get; set; }
}

public static class AttemptOutcome
{
    public const string Delivered = "delivered";
    public const string Retry = "retry";
    public const string Failed = "failed";
}
