namespace Vigil.Core.Replay;

/// <summary>Where replay outcomes are announced. A seam so the notification service can take over without touching the engine.</summary>
public interface INotificationSink
{
    Task NotifyAsync(string projectId, string type, string title, string? body, string? referenceId, CancellationToken ct);
}
