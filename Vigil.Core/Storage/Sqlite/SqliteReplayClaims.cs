using Microsoft.EntityFrameworkCore;
using Vigil.Core.Replay;

namespace Vigil.Core.Storage.Sqlite;

/// <summary>One instance, one writer: read the oldest confirmed run, then move it only if it is still confirmed.</summary>
internal sealed class SqliteReplayClaims(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate) : IReplayClaims
{
    public async Task<string?> ClaimNextAsync(string owner, long nowUs, long leaseUntilUs, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // An idle poll reads only: the single writer's gate is taken when there is a run to claim.
        if (!await db.ReplayRuns.AnyAsync(r => r.Status == ReplayStatus.Confirmed, ct)) return null;
        using var _ = await writeGate.EnterAsync(ct);
        while (true)
        {
            var id = await db.ReplayRuns.Where(r => r.Status == ReplayStatus.Confirmed)
                .OrderBy(r => r.CreatedAtUs).ThenBy(r => r.Id).Select(r => r.Id).FirstOrDefaultAsync(ct);
            if (id is null) return null;
            var claimed = await db.ReplayRuns.Where(r => r.Id == id && r.Status == ReplayStatus.Confirmed)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReplayStatus.Running)
                    .SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseExpiresAtUs, leaseUntilUs)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                    .SetProperty(r => r.StartedAtUs, nowUs).SetProperty(r => r.UpdatedAtUs, nowUs), ct);
            if (claimed == 1) return id;
        }
    }
}
