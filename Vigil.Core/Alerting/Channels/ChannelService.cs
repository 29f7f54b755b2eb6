using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vigil.Core.Replay;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Channels;

/// <summary>A webhook's secret exists in clear only in this answer to its creation.</summary>
public sealed record CreatedChannel(AlertChannel Channel, string? Secret);

/// <summary>
/// A project's channels. URLs and webhook secrets are encrypted with the host's Data Protection protector (the one that
/// encrypts replay provider keys) before they reach the database, and nothing here ever returns them.
/// Every call names its project; <c>null</c> (admins) means "any project".
/// </summary>
public sealed class ChannelService(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    IProviderKeyProtector protector,
    OutboxSignal signal,
    TimeProvider time,
    ILogger<ChannelService> logger)
{
    public async Task<List<AlertChannel>> ListAsync(string? projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AlertChannels.AsNoTracking();
        if (projectId is not null) q = q.Where(c => c.ProjectId == projectId);
        return await q.OrderBy(c => c.ProjectId).ThenBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(ct);
    }

    public async Task<AlertChannel?> GetAsync(string? projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && (projectId == null || c.ProjectId == projectId), ct);
    }

    public async Task<AlertingOutcome<CreatedChannel>> CreateAsync(string projectId, ChannelInput input, CancellationToken ct = default)
    {
        var errors = input.Validate(create: true);
        if (errors.Count > 0) return AlertingOutcome<CreatedChannel>.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct)) return AlertingOutcome<CreatedChannel>.NotFound($"Project '{projectId}' was not found.");
        var url = input.Url!.Trim();
        var secret = input.Type == ChannelType.Webhook ? WebhookSignature.NewSecret() : null;
        var nowUs = UnixMicros.Now(time);
        var channel = new AlertChannel
        {
            ProjectId = projectId,
            Name = input.Name!.Trim(),
            Type = input.Type!,
            UrlProtected = protector.Protect(url),
            UrlHint = Hint(url),
            SecretProtected = secret is null ? null : protector.Protect(secret),
            Severities = input.Severities is null ? null : ChannelInput.SeverityCsv(input.Severities),
            Sources = input.Sources is null ? null : ChannelInput.SourceCsv(input.Sources),
            Enabled = input.Enabled ?? true,
            CreatedAtUs = nowUs,
            UpdatedAtUs = nowUs,
        };
        using (await writeGate.EnterAsync(ct))
        {
            db.AlertChannels.Add(channel);
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Channel {ChannelId} ({Type}, {Hint}) created for {ProjectId}", channel.Id, channel.Type, channel.UrlHint, projectId);
        return AlertingOutcome<CreatedChannel>.Ok(new CreatedChannel(channel, secret));
    }

    public async Task<AlertingOutcome<AlertChannel>> UpdateAsync(string? projectId, long id, ChannelInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var channel = await db.AlertChannels.FirstOrDefaultAsync(c => c.Id == id && (projectId == null || c.ProjectId == projectId), ct);
        if (channel is null) return AlertingOutcome<AlertChannel>.NotFound($"Channel {id} was not found.");
        var errors = input.Validate(create: false);
        if (input.Type is not null && input.Type != channel.Type) errors["type"] = ["A channel's type cannot change: create another channel."];
        if (errors.Count > 0) return AlertingOutcome<AlertChannel>.Invalid(errors);
        if (input.Name is not null) channel.Name = input.Name.Trim();
        if (input.Url is not null)
        {
            channel.UrlProtected = protector.Protect(input.Url.Trim());
            channel.UrlHint = Hint(input.Url.Trim());
        }
        if (input.Severities is not null) channel.Severities = ChannelInput.SeverityCsv(input.Severities);
        if (input.Sources is not null) channel.Sources = ChannelInput.SourceCsv(input.Sources);
        if (input.Enabled is { } enabled) channel.Enabled = enabled;
        channel.UpdatedAtUs = UnixMicros.Now(time);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Channel {ChannelId} of {ProjectId} updated (url changed: {UrlChanged})", id, channel.ProjectId, input.Url is not null);
        return AlertingOutcome<AlertChannel>.Ok(channel);
    }

    /// <summary>Deletes the channel with its deliveries and their log. False when absent.</summary>
    public async Task<bool> DeleteAsync(string? projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var deleted = await db.AlertChannels.Where(c => c.Id == id && (projectId == null || c.ProjectId == projectId)).ExecuteDeleteAsync(ct);
        if (deleted > 0) logger.LogInformation("Channel {ChannelId} deleted", id);
        return deleted > 0;
    }

    /// <summary>Queues a test message for this channel only (whatever its filters); the sender delivers and logs it like any alert.</summary>
    public async Task<AlertingOutcome<OutboxEntry>> SendTestAsync(string? projectId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.AlertChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && (projectId == null || c.ProjectId == projectId), ct);
        if (channel is null) return AlertingOutcome<OutboxEntry>.NotFound($"Channel {id} was not found.");
        var nowUs = UnixMicros.Now(time);
        var e = new AlertEvent
        {
            Source = AlertSource.Test,
            State = "test",
            Change = "test",
            Severity = AlertSeverity.Warning,
            Title = $"Test message from Vigil to '{channel.Name}'",
            Summary = "If you can read this, the channel works. No action is needed.",
            ProjectId = channel.ProjectId,
            Metric = "error_rate",
            Value = 0.05,
            Thresholds = new AlertThresholds(0.05, 0.1, "above"),
            Path = "/alerts",
            OccurredAtUs = nowUs,
        };
        OutboxEntry entry;
        using (await writeGate.EnterAsync(ct))
        {
            entry = AlertOutbox.Add(db, e, nowUs, channel.Id);
            await db.SaveChangesAsync(ct);
        }
        signal.Wake();
        return AlertingOutcome<OutboxEntry>.Ok(entry);
    }

    private static string Hint(string url)
    {
        // Never the user info, path or query: Slack and Teams URLs carry their credential in the path.
        var u = new Uri(url);
        return $"{u.Scheme}://{u.Host}{(u.IsDefaultPort ? "" : ":" + u.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
    }
}
