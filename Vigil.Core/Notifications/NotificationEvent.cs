using Vigil.Core.Live;

namespace Vigil.Core.Notifications;

/// <summary>A notification was created: the bell's unread count changed.</summary>
public sealed record NotificationEvent(string ProjectId, Notification Notification) : LiveEvent(ProjectId)
{
    public override string Type => "notification";
    public override object Payload => new { Notification.Id, Notification.Type, Notification.Title, Notification.Body, Notification.ReferenceId, Notification.CreatedAtUs };
}
