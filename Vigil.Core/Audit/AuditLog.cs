using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Audit;

/// <summary>Writes and reads the audit log (<c>GET /v1/audit</c>, the Settings page's audit tab).</summary>
public sealed class AuditLog(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, TimeProvider time, ILogger<AuditLog> logger)
{
    public async Task RecordAsync(AuditActor actor, string action, string? target, string? projectId = null, string? detail = null, CancellationToken ct = default)
    {
        var entry = new AuditEntry
        {
            AtUs = UnixMicros.Now(time),
            ActorId = Clip(actor.Id, 128)!,
            ActorName = Clip(actor.Name, 256)!,
            Action = action,
            Target = Clip(target, 256),
            ProjectId = projectId,
            Detail = Clip(detail, 2000),
            Address = Clip(actor.Address, 64),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Audit: {Actor} ({ActorId}) from {Address}: {Action} {Target}", entry.ActorName, entry.ActorId, entry.Address, action, entry.Target);
    }

    /// <summary>Newest first; optionally one action or one project.</summary>
    public async Task<Page<AuditEntry>> ListAsync(int offset, int limit, string? action = null, string? projectId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (action is not null) q = q.Where(e => e.Action == action);
        if (projectId is not null) q = q.Where(e => e.ProjectId == projectId);
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(e => e.AtUs).ThenByDescending(e => e.Id).Skip(offset).Take(limit).ToListAsync(ct);
        return new Page<AuditEntry>(items, total, offset, limit);
    }

    private static string? Clip(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
