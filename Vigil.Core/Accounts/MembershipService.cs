using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Core.Accounts;

/// <summary>Which projects a user may see: all of them for an admin, else the ones they are a member of.</summary>
public sealed class MembershipService(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, TimeProvider time, ILogger<MembershipService> logger)
{
    public async Task<List<Project>> ProjectsForAsync(string userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var projects = db.Projects.AsNoTracking();
        if (!isAdmin) projects = projects.Where(p => db.ProjectMembers.Any(m => m.ProjectId == p.Id && m.UserId == userId));
        return await projects.OrderBy(p => p.Id).ToListAsync(ct);
    }

    public async Task<List<string>> MemberIdsAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProjectMembers.AsNoTracking().Where(m => m.ProjectId == projectId).Select(m => m.UserId).ToListAsync(ct);
    }

    /// <summary>Idempotent: adding an existing member does nothing.</summary>
    public async Task AddAsync(string projectId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        if (await db.ProjectMembers.AnyAsync(m => m.ProjectId == projectId && m.UserId == userId, ct)) return;
        db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = userId, CreatedAtUs = UnixMicros.Now(time) });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Added user {UserId} to project {ProjectId}", userId, projectId);
    }

    public async Task RemoveAsync(string projectId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        await db.ProjectMembers.Where(m => m.ProjectId == projectId && m.UserId == userId).ExecuteDeleteAsync(ct);
    }
}
