using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Delivery;

/// <summary>
/// One line of a channel's delivery log: an attempt (time, status code, latency, error, outcome), or a delivery still
/// queued for its first attempt (<see cref="Attempt"/> 0, outcome <c>pending</c>), with the alert it carries.
/// </summary>
public sealed record DeliveryLogEntry(
    long DeliveryId,
    long AtUs,
    int Attempt,
    int? StatusCode,
    double? LatencyMs,
    string? Error,
    string Outcome,
    long? NextAttemptAtUs,
    string DeliveryStatus,
    string IdempotencyKey,
    AlertEvent Alert);

/// <summary>Reads a channel's delivery log, newest first.</summary>
public sealed class DeliveryLogService(IDbContextFactory<VigilDbContext> dbFactory)
{
    public const int MaxLimit = 500;

    /// <summary>Null when the channel is absent or not in <paramref name="projectId"/> (null: any project).</summary>
    public async Task<List<DeliveryLogEntry>?> ListAsync(string? projectId, long channelId, int limit = 100, CancellationToken ct = default)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.AlertChannels.AnyAsync(c => c.Id == channelId && (projectId == null || c.ProjectId == projectId), ct)) return null;

        var attempts = await db.DeliveryAttempts.AsNoTracking()
            .Where(a => a.ChannelId == channelId)
            .OrderByDescending(a => a.Id).Take(limit)
            .Join(db.AlertDeliveries, a => a.DeliveryId, d => d.Id, (a, d) => new { a, d.Status, d.IdempotencyKey, d.OutboxId })
            .Join(db.AlertOutbox, x => x.OutboxId, o => o.Id, (x, o) => new { x.a, x.Status, x.IdempotencyKey, o.Payload })
            .ToListAsync(ct);
        var queued = await db.AlertDeliveries.AsNoTracking()
            .Where(d => d.ChannelId == channelId && d.Status == DeliveryStatus.Pending && d.Attempts == 0)
            .OrderByDescending(d => d.Id).Take(limit)
            .Join(db.AlertOutbox, d => d.OutboxId, o => o.Id, (d, o) => new { d, o.Payload })
            .ToListAsync(ct);

        return attempts.Select(x => new DeliveryLogEntry(x.a.DeliveryId, x.a.AtUs, x.a.Attempt, x.a.StatusCode, x.a.LatencyMs, x.a.Error, x.a.Outcome,
                x.a.NextAttemptAtUs, x.Status, x.IdempotencyKey, AlertEvent.FromJson(x.Payload)))
            .Concat(queued.Select(x => new DeliveryLogEntry(x.d.Id, x.d.CreatedAtUs, 0, null, null, null, DeliveryStatus.Pending,
                x.d.NextAttemptAtUs, x.d.Status, x.d.IdempotencyKey, AlertEvent.FromJson(x.Payload))))
            .OrderByDescending(e => e.AtUs).ThenByDescending(e => e.DeliveryId).ThenByDescending(e => e.Attempt)
            .Take(limit)
            .ToList();
    }
}
