using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Storage;

namespace Vigil.Core.Drift;

/// <summary>A project's drift settings (the columns on <see cref="Projects.Project"/>): effective values and edits.</summary>
public sealed class DriftSettingsService(IDbContextFactory<VigilDbContext> dbFactory, WriteGate writeGate, IOptions<DriftOptions> options)
{
    public DriftOptions Defaults => options.Value;

    public async Task<DriftSettings?> GetAsync(string projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var p = await db.Projects.AsNoTracking().FirstOrDefaultAsync(x => x.Id == projectId, ct);
        return p is null ? null : DriftSettings.Resolve(p, options.Value);
    }

    /// <summary>Stores the settings; a value equal to the server default is stored as null so it follows later default changes.</summary>
    public async Task<bool> UpdateAsync(string projectId, bool enabled, int intervalMinutes, int baselineHours, int currentHours,
        DriftBinning binning, DriftGroupBy groupBy, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalMinutes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(baselineHours, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(currentHours, 1);
        var o = options.Value;
        int? interval = intervalMinutes == o.IntervalMinutes ? null : intervalMinutes;
        int? baseline = baselineHours == o.BaselineHours ? null : baselineHours;
        int? current = currentHours == o.CurrentHours ? null : currentHours;
        string? bin = binning == o.Binning ? null : binning.ToName();
        string? group = groupBy == o.GroupBy ? null : groupBy.ToName();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var n = await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.DriftEnabled, enabled)
            .SetProperty(p => p.DriftIntervalMinutes, interval)
            .SetProperty(p => p.DriftBaselineHours, baseline)
            .SetProperty(p => p.DriftCurrentHours, current)
            .SetProperty(p => p.DriftBinning, bin)
            .SetProperty(p => p.DriftGroupBy, group), ct);
        return n > 0;
    }
}
