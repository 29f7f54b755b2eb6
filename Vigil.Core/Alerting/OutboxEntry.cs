namespace Vigil.Core.Alerting;

/// <summary>
/// An alert state change waiting to be delivered. Written in the same transaction that stores the change, so a change
/// is never lost between "stored" and "sent"; the sender fans it out to the matching channels (<see cref="Delivery.AlertDelivery"/>).
/// </summary>
public sealed class OutboxEntry
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    /// <summary>drift | monitor | test.</summary>
    public required string Source { get; set; }
    /// <summary>warning | critical: what channel severity filters read.</summary>
    public required string Level { get; set; }
    /// <summary>Random id of the change; with the channel id it makes each delivery's idempotency key.</summary>
    public required string EventId { get; set; }
    /// <summary><see cref="AlertEvent"/> as JSON.</summary>
    public required string Payload { get; set; }
    /// <summary>Set for a test message: only this channel gets it, whatever its filters.</summary>
    public long? ChannelId { get; set; }
    public long CreatedAtUs { get; set; }
    /// <summary>When the sender created its deliveries; null until then.</summary>
    public long? DispatchedAtUs { get; set; }
}
