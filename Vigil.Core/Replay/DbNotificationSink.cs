using Vigil.Core.Notifications;

namespace Vigil.Core.Replay;

/// <summary>Default sink: one notification per outcome, through <see cref="NotificationService.CreateAsync"/> (the one way to add one).</summary>
public sealed class DbNotificationSink(NotificationService notifications) : INotificationSink
{
    public async Task NotifyAsync(string projectId, string type, string title, string? body, string? referenceId, CancellationToken ct) =>
        await notifications.CreateAsync(projectId, type, title, body, referenceId, ct);
}
