using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Delivery;

/// <summary>A delivery attempt was made (the Alerts page's delivery log follows it).</summary>
public sealed record ChannelDeliveryEvent(string ProjectId, DeliveryAttempt Attempt) : LiveEvent(ProjectId)
{
    public override string Type => "channel_delivery";
    public override object Payload => new
    {
        Attempt.ChannelId, Attempt.DeliveryId, Attempt.Attempt, Attempt.StatusCode, Attempt.LatencyMs, Attempt.Outcome, Attempt.Error,
        At = UnixMicros.ToDateTime(Attempt.AtUs),
    };
}
