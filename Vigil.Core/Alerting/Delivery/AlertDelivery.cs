namespace Vigil.Core.Alerting.Delivery;

/// <summary>
/// One outbox entry on its way to one channel. Retried with backoff until a 2xx answer, a permanent failure, or
/// <see cref="AlertingOptions.RetryForHours"/> after it was created. Its idempotency key stays the same on every attempt.
/// </summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }
    public long OutboxId { get; set; }
    public long ChannelId { get; set; }
    public required string ProjectId { get; set; }
    /// <summary>The outbox entry's event id and the channel id: the same alert reaches each channel under its own key.</summary>
    public required string IdempotencyKey { get; set; }
    /// <summary>pending | delivered | failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public long NextAttemptAtUs { get; set; }
    public long CreatedAtUs { get; set; }
    public long? CompletedAtUs { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
