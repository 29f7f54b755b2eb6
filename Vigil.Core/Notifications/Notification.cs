namespace Vigil.Core.Notifications;

/// <summary>Something a user should see in the bell: a drift alert, a finished or failed replay.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    /// <summary>drift_alert | monitor_alert | replay_complete | replay_failed.</summary>
    public required string Type { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    /// <summary>The alert id or replay run id this is about.</summary>
    public string? ReferenceId { get; set; }
    public bool Read { get; set; }
    public long CreatedAtUs { get; set; }
}

public static class NotificationType
{
    public const string DriftAlert = "drift_alert";
    public const string MonitorAlert = "monitor_alert";
    public const string ReplayComplete = "replay_complete";
    public const string ReplayFailed = "replay_failed";
}
