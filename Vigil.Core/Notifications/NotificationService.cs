using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Live;
using Vigil.Core.Storage;

namespace Vigil.Core.Notifications;

/// <summary>
/// The bell: drift and replay create notifications here (<see cref="CreateAsync"/> is the one way to add one), users read them.
/// Every call is scoped to one project.
/// </summary>
public sealed class NotificationService(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, TimeProvider time, LiveFeed liveFeed, ILogger<NotificationService> logger)
{
    public const int MaxTitleLength = 512;

    public async Task<Notification> CreateAsync(string projectId, string type, string title, string? body, string? referenceId, CancellationToken ct = default)
    {
        var n = new Notification
        {
            ProjectId = projectId,
            Type = type,
            Title = title.Length > MaxTitleLength ? title[..MaxTitleLength] : title,
            Body = body,
            ReferenceId = referenceId,
            CreatedAtUs = UnixMicros.Now(time),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            db.Notifications.Add(n);
            await db.SaveChangesAsync(ct);
        }
        logger.LogDebug("Notification {Id} ({Type}) for {ProjectId}: {Title}", n.Id, type, projectId, n.Title);
        liveFeed.Publish(new NotificationEvent(projectId, n));
        return n;
    }

    /// <summary>Newest first.</summary>
    public async Task<List<Notification>> ListAsync(string projectId, bool unreadOnly = false, int limit = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Notifications.AsNoTracking().Where(n => n.ProjectId == projectId);
        if (unreadOnly) q = q.Where(n => !n.Read);
        return await q.OrderByDescending(n => n.CreatedAtUs).ThenByDescending(n => n.Id).Take(limit).ToListAsync(ct);
    }

    public async Task<int> UnreadCountAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.ProjectId == projectId && !n.Read, ct);
    }

    /// <summary>The notification marked read, or null when it is absent or another project's.</summary>
    public async Task<Notification?> MarkReadAsync(string projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            var n = await db.Notifications.FirstOrDefaultAsync(x => x.Id == id && x.ProjectId == projectId, ct);
            if (n is null) return null;
            n.Read = true;
            await db.SaveChangesAsync(ct);
            return n;
        }
    }

    /// <summary>Marks every unread notification of the project read; returns how many changed.</summary>
    public async Task<int> MarkAllReadAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        return await db.Notifications.Where(n => n.ProjectId == projectId && !n.Read)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Read, true), ct);
    }
}
