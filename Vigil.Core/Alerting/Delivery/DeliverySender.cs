using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Live;
using Vigil.Core.Replay;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting.Delivery;

/// <summary>
/// Delivers the outbox. Each pass fans new outbox entries out to their matching channels (one <see cref="AlertDelivery"/>
/// per channel, created once: the pair is unique), then sends what is due. A channel is a queue: its oldest pending
/// delivery goes first and a failing one holds the rest back, so a receiver that comes back gets its alerts in order.
/// Everything is in the database, so a restart resumes where it stopped; a crash between a receiver's 2xx and storing it
/// sends that one again under the same idempotency key. With several instances every instance sends; a delivery sent twice
/// carries the same idempotency key (not yet made once-per-cluster: a cluster lock here kept a restarted instance from
/// sending on PostgreSQL, see the closing note).
/// </summary>
public sealed class DeliverySender(
    IDbContextFactory<VigilDbContext> dbFactory,
    WriteGate writeGate,
    IProviderKeyProtector protector,
    OutboxSignal signal,
    DashboardLinks links,
    LiveFeed liveFeed,
    IHttpClientFactory httpClients,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<DeliverySender> logger,
    IEnumerable<IHostApplicationLifetime> lifetime) : BackgroundService
{
    public const string HttpClientName = "vigil-alerts";
    private const int DispatchBatch = 200;
    private const int MaxPerChannelPerPass = 100;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _pass = new(1, 1);
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>Raised after every attempt (tests and diagnostics).</summary>
    public event Action<DeliveryAttempt>? Attempted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Alert delivery is disabled (Vigil:Alerting:Enabled = false)");
            return;
        }
        await Task.Yield();
        // Messages link to the address the server listens on: wait until the host has started (and bound it).
        if (lifetime.FirstOrDefault() is { } host && !host.ApplicationStarted.IsCancellationRequested)
        {
            using var started = CancellationTokenSource.CreateLinkedTokenSource(host.ApplicationStarted, stoppingToken);
            try { await Task.Delay(Timeout.Infinite, started.Token); }
            catch (OperationCanceledException) { }
            if (stoppingToken.IsCancellationRequested) return;
        }
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                if (await RunOnceAsync(stoppingToken) is { } next)
                {
                    var untilNext = next - time.GetUtcNow();
                    if (untilNext < wait) wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                // The database may be busy or briefly away: try again on the next poll.
                logger.LogError(ex, "Alert delivery pass failed");
            }
            try { await signal.WaitAsync(wait, time, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
        }
    }

    /// <summary>One pass: fan out, send what is due, prune old log rows hourly. Answers when the next pending delivery is due.</summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct = default)
    {
        await _pass.WaitAsync(ct);
        try
        {
            while (await DispatchAsync(ct) == DispatchBatch) { }
            await SendDueAsync(ct);
            if (time.GetUtcNow() - _lastPrune >= PruneEvery) await PruneAsync(ct);
            return await NextDueAsync(ct);
        }
        finally { _pass.Release(); }
    }

    /// <summary>Creates the deliveries of undispatched outbox entries; answers how many entries it took.</summary>
    private async Task<int> DispatchAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        var entries = await db.AlertOutbox.Where(e => e.DispatchedAtUs == null).OrderBy(e => e.Id).Take(DispatchBatch).ToListAsync(ct);
        if (entries.Count == 0) return 0;
        var projectIds = entries.Select(e => e.ProjectId).Distinct().ToList();
        var channels = await db.AlertChannels.AsNoTracking().Where(c => projectIds.Contains(c.ProjectId)).ToListAsync(ct);
        var nowUs = UnixMicros.Now(time);
        var created = 0;
        foreach (var e in entries)
        {
            var targets = e.ChannelId is { } only
                ? channels.Where(c => c.Id == only && c.ProjectId == e.ProjectId)
                : channels.Where(c => c.ProjectId == e.ProjectId && c.Accepts(e.Source, e.Level));
            foreach (var c in targets)
            {
                db.AlertDeliveries.Add(new AlertDelivery
                {
                    OutboxId = e.Id,
                    ChannelId = c.Id,
                    ProjectId = e.ProjectId,
                    IdempotencyKey = $"{e.EventId}-{c.Id}",
                    Status = DeliveryStatus.Pending,
                    NextAttemptAtUs = nowUs,
                    // The 24 h of retries count from the alert, not from the dispatch.
                    CreatedAtUs = e.CreatedAtUs,
                });
                created++;
            }
            e.DispatchedAtUs = nowUs;
        }
        await db.SaveChangesAsync(ct);
        logger.LogDebug("Dispatched {Entries} outbox entries into {Deliveries} deliveries", entries.Count, created);
        return entries.Count;
    }

    private async Task SendDueAsync(CancellationToken ct)
    {
        var nowUs = UnixMicros.Now(time);
        List<AlertChannel> channels;
        Dictionary<string, string> projectNames;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var heads = await Heads(db).Where(h => h.NextAttemptAtUs <= nowUs).Select(h => h.ChannelId).ToListAsync(ct);
            if (heads.Count == 0) return;
            channels = await db.AlertChannels.AsNoTracking().Where(c => heads.Contains(c.Id)).ToListAsync(ct);
            var projectIds = channels.Select(c => c.ProjectId).Distinct().ToList();
            projectNames = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        }
        await Parallel.ForEachAsync(channels, new ParallelOptions { MaxDegreeOfParallelism = options.Value.SendParallelism, CancellationToken = ct },
            async (channel, token) => await DrainAsync(channel, projectNames.GetValueOrDefault(channel.ProjectId, channel.ProjectId), token));
    }

    /// <summary>The oldest pending delivery of each channel: the one that decides when the channel is next tried.</summary>
    private static IQueryable<AlertDelivery> Heads(VigilDbContext db)
    {
        var headIds = db.AlertDeliveries.Where(d => d.Status == DeliveryStatus.Pending).GroupBy(d => d.ChannelId).Select(g => g.Min(d => d.Id));
        return db.AlertDeliveries.AsNoTracking().Where(d => headIds.Contains(d.Id));
    }

    private async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = await Heads(db).MinAsync(h => (long?)h.NextAttemptAtUs, ct);
        return next is { } us ? new DateTimeOffset(UnixMicros.ToDateTime(us)) : null;
    }

    /// <summary>Sends the channel's pending deliveries in order until one has to wait.</summary>
    private async Task DrainAsync(AlertChannel channel, string projectName, CancellationToken ct)
    {
        for (var i = 0; i < MaxPerChannelPerPass; i++)
        {
            Next? next;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                next = await db.AlertDeliveries.AsNoTracking()
                    .Where(d => d.ChannelId == channel.Id && d.Status == DeliveryStatus.Pending)
                    .OrderBy(d => d.Id)
                    .Join(db.AlertOutbox, d => d.OutboxId, o => o.Id, (d, o) => new Next(d, o.Payload, o.ChannelId != null))
                    .FirstOrDefaultAsync(ct);
            }
            if (next is null || next.Delivery.NextAttemptAtUs > UnixMicros.Now(time)) return;
            var outcome = await AttemptAsync(channel, projectName, next, ct);
            if (outcome == AttemptOutcome.Retry) return;
        }
    }

    private sealed record Next(AlertDelivery Delivery, string Payload, bool IsTest);

    private async Task<string> AttemptAsync(AlertChannel channel, string projectName, Next next, CancellationToken ct)
    {
        var d = next.Delivery;
        var o = options.Value;
        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        var permanent = false;
        var sw = Stopwatch.StartNew();
        if (!channel.Enabled && !next.IsTest)
        {
            error = "The channel is disabled.";
            permanent = true;
        }
        else
        {
            try
            {
                var (url, secret) = Decrypt(channel);
                var e = AlertEvent.FromJson(next.Payload);
                var message = ChannelFormats.Build(channel.Type, e,
                    new ChannelFormats.Context(d.IdempotencyKey, time.GetUtcNow(), projectName, links.Link(e.Path, e.ProjectId), secret));
                (status, error, retryAfter) = await PostAsync(url, message, ct);
                permanent = !RetryPolicy.IsTransient(status) && status is not (>= 200 and < 300);
            }
            catch (ChannelSecretException ex)
            {
                error = ex.Message;
                permanent = true;
            }
        }
        var latencyMs = sw.Elapsed.TotalMilliseconds;

        var now = time.GetUtcNow();
        var nowUs = UnixMicros.From(now);
        var attempt = d.Attempts + 1;
        string outcome;
        long? nextAttemptUs = null;
        if (status is >= 200 and < 300) outcome = AttemptOutcome.Delivered;
        else if (permanent) outcome = AttemptOutcome.Failed;
        else if (nowUs >= d.CreatedAtUs + (long)(o.RetryForHours * 3_600_000_000L))
        {
            outcome = AttemptOutcome.Failed;
            error += $" Gave up after {attempt} attempts over {o.RetryForHours:0.###} h.";
        }
        else
        {
            outcome = AttemptOutcome.Retry;
            nextAttemptUs = UnixMicros.From(now + RetryPolicy.Delay(attempt, retryAfter, o));
        }

        var log = new DeliveryAttempt
        {
            DeliveryId = d.Id, ChannelId = d.ChannelId, ProjectId = d.ProjectId, Attempt = attempt, AtUs = nowUs,
            StatusCode = status, LatencyMs = Math.Round(latencyMs, 2), Error = error, Outcome = outcome, NextAttemptAtUs = nextAttemptUs,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        using (await writeGate.EnterAsync(ct))
        {
            var updated = await db.AlertDeliveries.Where(x => x.Id == d.Id && x.Status == DeliveryStatus.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Attempts, attempt)
                .SetProperty(x => x.Status, outcome == AttemptOutcome.Retry ? DeliveryStatus.Pending : outcome == AttemptOutcome.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed)
                .SetProperty(x => x.NextAttemptAtUs, nextAttemptUs ?? d.NextAttemptAtUs)
                .SetProperty(x => x.CompletedAtUs, outcome == AttemptOutcome.Retry ? null : nowUs)
                .SetProperty(x => x.LastStatusCode, status)
                .SetProperty(x => x.LastError, error), ct);
            // Deleted with its channel while it was in flight: nothing to log it against.
            if (updated > 0)
            {
                db.DeliveryAttempts.Add(log);
                await db.SaveChangesAsync(ct);
            }
        }
        liveFeed.Publish(new ChannelDeliveryEvent(d.ProjectId, log));

        if (outcome == AttemptOutcome.Delivered)
            logger.LogInformation("Delivery {DeliveryId} to channel {ChannelId} ({Type}) succeeded: {Status} in {Ms:0} ms (attempt {Attempt})",
                d.Id, channel.Id, channel.Type, status, latencyMs, attempt);
        else
            logger.LogWarning("Delivery {DeliveryId} to channel {ChannelId} ({Type}) {Outcome} after attempt {Attempt}: {Error}{Next}",
                d.Id, channel.Id, channel.Type, outcome == AttemptOutcome.Retry ? "will be retried" : "failed", attempt, error,
                nextAttemptUs is { } n ? $" (next at {UnixMicros.ToDateTime(n):O})" : "");
        Attempted?.Invoke(log);
        return outcome;
    }

    private async Task<(int? Status, string? Error, TimeSpan? RetryAfter)> PostAsync(string url, ChannelMessage message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(message.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in message.Headers) request.Headers.TryAddWithoutValidation(name, value);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (code, null, null);
            var body = await ReadSnippetAsync(response, timeout.Token);
            return (code, $"HTTP {code} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body : "")}", RetryPolicy.RetryAfter(response, time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"No answer within {options.Value.SendTimeoutSeconds:0.###} s.", null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message, null);
        }
    }

    /// <summary>The start of an error answer, for the log (receivers often say why: Slack's "invalid_payload").</summary>
    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            text = text.ReplaceLineEndings(" ").Trim();
            return text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException) { return ""; }
    }

    private (string Url, string? Secret) Decrypt(AlertChannel channel)
    {
        try
        {
            return (protector.Unprotect(channel.UrlProtected), channel.SecretProtected is null ? null : protector.Unprotect(channel.SecretProtected));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Channel {ChannelId}'s URL or secret cannot be decrypted", channel.Id);
            throw new ChannelSecretException("The channel's URL or secret cannot be decrypted (was the Data Protection key ring replaced?). Set its URL again.");
        }
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        _lastPrune = time.GetUtcNow();
        var cutoffUs = UnixMicros.From(_lastPrune - TimeSpan.FromDays(options.Value.DeliveryLogDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await writeGate.EnterAsync(ct);
        // Deliveries and their attempts go with their outbox entry (cascade); a pending one is never this old.
        var deleted = await db.AlertOutbox.Where(e => e.CreatedAtUs < cutoffUs && e.DispatchedAtUs != null
            && !db.AlertDeliveries.Any(d => d.OutboxId == e.Id && d.Status == DeliveryStatus.Pending)).ExecuteDeleteAsync(ct);
        if (deleted > 0) logger.LogInformation("Pruned {Count} outbox entries older than {Days} days with their delivery log", deleted, options.Value.DeliveryLogDays);
    }

    private sealed class ChannelSecretException(string message) : Exception(message);
}
