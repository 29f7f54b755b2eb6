using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Storage;

namespace Vigil.Web.Alerting;

/// <summary><c>POST /v1/channels</c> and <c>PUT /v1/channels/{id}</c>. On PUT a field left out keeps its value (the URL is never read back).</summary>
public sealed record ChannelRequest(string? ProjectId, string? Name, string? Type, string? Url, List<string>? Severities, List<string>? Sources, bool? Enabled)
{
    public ChannelInput ToInput() => new(Name, Type, Url, Severities, Sources, Enabled);
}

/// <summary>A channel as the API shows it: never its URL (only scheme and host) or secret.</summary>
public sealed record ChannelView(
    long Id, string ProjectId, string Name, string Type, string UrlHint, IReadOnlyList<string> Severities, IReadOnlyList<string> Sources,
    bool Enabled, bool Signed, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ChannelView From(AlertChannel c) => new(c.Id, c.ProjectId, c.Name, c.Type, c.UrlHint,
        c.Severities is null ? AlertSeverity.All : c.SeverityList, c.Sources is null ? AlertSource.Filterable : c.SourceList,
        c.Enabled, c.SecretProtected is not null, UnixMicros.ToDateTime(c.CreatedAtUs), UnixMicros.ToDateTime(c.UpdatedAtUs));
}

/// <summary>201 to <c>POST /v1/channels</c>: the webhook's signing secret is in this answer and never again.</summary>
public sealed record CreatedChannelResponse(
    long Id, string ProjectId, string Name, string Type, string UrlHint, IReadOnlyList<string> Severities, IReadOnlyList<string> Sources,
    bool Enabled, bool Signed, DateTime CreatedAt, DateTime UpdatedAt, string? Secret)
{
    public static CreatedChannelResponse From(CreatedChannel created)
    {
        var v = ChannelView.From(created.Channel);
        return new(v.Id, v.ProjectId, v.Name, v.Type, v.UrlHint, v.Severities, v.Sources, v.Enabled, v.Signed, v.CreatedAt, v.UpdatedAt, created.Secret);
    }
}

public sealed record ChannelListResponse(IReadOnlyList<ChannelView> Channels, int Total);

/// <summary>202 to <c>POST /v1/channels/{id}/test</c>: the test message is queued; its attempts appear in the delivery log.</summary>
public sealed record ChannelTestResponse(long ChannelId, long OutboxId, string EventId, string Status, string Deliveries);

/// <summary>One line of <c>GET /v1/channels/{id}/deliveries</c>.</summary>
public sealed record DeliveryLogDto(
    long DeliveryId, DateTime Time, int Attempt, int? StatusCode, double? LatencyMs, string? Error, string Outcome, DateTime? NextAttemptAt,
    string DeliveryStatus, string IdempotencyKey, DeliveryAlertDto Alert)
{
    public static DeliveryLogDto From(DeliveryLogEntry e) => new(e.DeliveryId, UnixMicros.ToDateTime(e.AtUs), e.Attempt, e.StatusCode, e.LatencyMs, e.Error,
        e.Outcome, UnixMicros.ToDateTime(e.NextAttemptAtUs), e.DeliveryStatus, e.IdempotencyKey,
        new DeliveryAlertDto(e.Alert.Source, e.Alert.State, e.Alert.Severity, e.Alert.Title, e.Alert.Metric, e.Alert.Value));
}

public sealed record DeliveryAlertDto(string Source, string State, string Severity, string Title, string? Metric, double? Value);

public sealed record DeliveryLogResponse(IReadOnlyList<DeliveryLogDto> Deliveries, int Total);
