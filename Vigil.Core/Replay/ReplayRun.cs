namespace Vigil.Core.Replay;

/// <summary>A replay of a recorded trace with mutations: estimate → confirm → run (see DESIGN.md "Replay").</summary>
public sealed class ReplayRun
{
    /// <summary>Random id (32 hex chars).</summary>
    public required string Id { get; set; }
    public required string ProjectId { get; set; }
    public required string OriginalTraceId { get; set; }
    /// <summary>estimating | confirmed | running | completed | failed | cancelled.</summary>
    public string Status { get; set; } = ReplayStatus.Estimating;
    /// <summary>JSON object: span_id → {field: value}.</summary>
    public string Mutations { get; set; } = "{}";
    /// <summary>JSON object: run-wide settings (provider overrides and the like).</summary>
    public string? Config { get; set; }
    public double EstimatedCostUsd { get; set; }
    public double? ActualCostUsd { get; set; }
    public int LlmSpansCount { get; set; }
    public int CompletedSpans { get; set; }
    public string? ResultTraceId { get; set; }
    /// <summary>JSON array of per-span diffs, stored with the run.</summary>
    public string? Diffs { get; set; }
    public string? ErrorMessage { get; set; }
    public long CreatedAtUs { get; set; }
    public long UpdatedAtUs { get; set; }
    public long? StartedAtUs { get; set; }
    public long? CompletedAtUs { get; set; }
    /// <summary>The instance running it (<c>ClusterInstance.Id</c>) while running.</summary>
    public string? LeaseOwner { get; set; }
    /// <summary>Until when the owner's claim holds; it renews it while alive. Past it, another instance takes the run over.</summary>
    public long? LeaseExpiresAtUs { get; set; }
    /// <summary>How many times an instance started it (more than once only after an instance died mid-run).</summary>
    public int Attempts { get; set; }
    /// <summary>A cancel asked while running, seen by whichever instance runs it.</summary>
    public bool CancelRequested { get; set; }
}

public static class ReplayStatus
{
    public const string Estimating = "estimating";
    public const string Confirmed = "confirmed";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
