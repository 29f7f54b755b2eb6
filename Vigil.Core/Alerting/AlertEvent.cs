using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Alerting;

/// <summary>
/// One alert state change as it is queued in the outbox and rendered into every channel's message: a monitor changing
/// state, a drift alert fired / escalated / resolved, or a test. Stored as JSON (snake_case) in <see cref="OutboxEntry.Payload"/>.
/// </summary>
public sealed record AlertEvent
{
    /// <summary>drift | monitor | test.</summary>
    public required string Source { get; init; }

    /// <summary>Monitors: ok | warning | critical. Drift: fired | resolved. Test: test.</summary>
    public required string State { get; init; }

    public string? PreviousState { get; init; }

    /// <summary>What happened: fired | escalated | resolved (drift), changed (monitor), test.</summary>
    public required string Change { get; init; }

    /// <summary>The source's own severity name: warning | critical (monitors), medium | high (drift).</summary>
    public required string Severity { get; init; }

    /// <summary>Severity on the common scale (warning | critical) that channel filters read.</summary>
    public string Level => AlertSeverity.Level(Severity) ?? AlertSeverity.Warning;

    public required string Title { get; init; }
    public string? Summary { get; init; }
    public required string ProjectId { get; init; }
    public string? Metric { get; init; }
    public double? Value { get; init; }
    public AlertThresholds? Thresholds { get; init; }

    /// <summary>Dashboard page of the alert (e.g. <c>/alerts</c>); the sender makes it absolute.</summary>
    public required string Path { get; init; }

    public long OccurredAtUs { get; init; }
    public MonitorAlertInfo? Monitor { get; init; }
    public DriftAlertInfo? Drift { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AlertEvent FromJson(string json) => JsonSerializer.Deserialize<AlertEvent>(json, Json)
        ?? throw new JsonException("An outbox payload is empty.");
}

/// <summary>The levels a value was judged against. For drift they are PSI thresholds (0.1, 0.2).</summary>
public sealed record AlertThresholds(double? Warning, double? Critical, string Direction, string? Of = null);

public sealed record MonitorAlertInfo(long Id, string Name, int WindowMinutes, string? SpanKind, string? SpanName, string? Model, string? Reason);

public sealed record DriftAlertInfo(long AlertId, string SpanKind, string? SpanName, string? Model, double PsiScore, double BaselineValue, double CurrentValue);
