using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Web.Notifications;

public sealed record NotificationDto(long Id, string ProjectId, string Type, string Title, string? Body, string? ReferenceId, bool Read, DateTime CreatedAt)
{
    public static NotificationDto From(Notification n) =>
        new(n.Id, n.ProjectId, n.Type, n.Title, n.Body, n.ReferenceId, n.Read, UnixMicros.ToDateTime(n.CreatedAtUs));
}

public sealed record NotificationListResponse(IReadOnlyList<NotificationDto> Notifications, int UnreadCount);

public sealed record NotificationCountResponse(int Count);

public sealed record ReadAllResponse(int Updated);
