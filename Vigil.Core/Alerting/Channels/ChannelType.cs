namespace Vigil.Core.Alerting.Channels;

public static class ChannelType
{
    /// <summary>A JSON POST signed with <c>X-Vigil-Signature</c>.</summary>
    public const string Webhook = "webhook";
    /// <summary>A Slack incoming webhook: a Block Kit message.</summary>
    public const string Slack = "slack";
    /// <summary>A Microsoft Teams workflow webhook: an Adaptive Card.</summary>
    public const string Teams = "teams";

    public static readonly IReadOnlyList<string> All = [Webhook, Slack, Teams];
}
