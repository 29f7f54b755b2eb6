using Microsoft.EntityFrameworkCore;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Core.Replay;

/// <summary>Default sink: one <see cref="Notification"/> row per outcome.</summary>
public sealed class DbNotificationSink(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, TimeProvider time) : INotificationSink
{
    public async Task NotifyAsync(string projectId, string type, string title, string? body, string? referenceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        db.Notifications.Add(new Notification
        {
            ProjectId = projectId,
            Type = type,
            Title = title.Length > 512 ? title[..512] : title,
            Body = body,
            ReferenceId = referenceId,
            CreatedAtUs = UnixMicros.Now(time),
        });
        await db.SaveChangesAsync(ct);
    }
}
