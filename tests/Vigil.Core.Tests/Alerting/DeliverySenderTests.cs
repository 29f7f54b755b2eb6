using Microsoft.EntityFrameworkCore;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Storage;
using Vigil.Tests.Fakes;

namespace Vigil.Core.Tests.Alerting;

/// <summary>The sender against a real receiver on 127.0.0.1, on a fake clock: backoff, Retry-After, give-up, per-channel order.</summary>
public sealed class DeliverySenderTests : IAsyncLifetime
{
    private AlertReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await AlertReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<AlertChannel> ChannelAsync(CoreTestHost host, string path, string type = ChannelType.Webhook, IReadOnlyList<string>? sources = null) =>
        (await host.Get<ChannelService>().CreateAsync("p1", new ChannelInput(path, type, _receiver.Url + path, null, sources))).Value!.Channel;

    /// <summary>Queues a monitor-like alert for every matching channel, as a state change would.</summary>
    private static async Task QueueAsync(CoreTestHost host, string title, string state = "critical")
    {
        await using var db = await host.Db();
        var nowUs = UnixMicros.Now(host.Get<TimeProvider>());
        AlertOutbox.Add(db, new AlertEvent
        {
            Source = AlertSource.Monitor, State = state, Change = "fired", Severity = "critical", Title = title, ProjectId = "p1",
            Metric = "error_rate", Value = 0.5, Thresholds = new AlertThresholds(0.1, 0.3, "above"), Path = "/alerts", OccurredAtUs = nowUs,
        }, nowUs);
        await db.SaveChangesAsync();
    }

    /// <summary>A host with one webhook channel at <c>/hook</c> and one alert queued for it; the receiver answers <paramref name="status"/>.</summary>
    private async Task<(CoreTestHost Host, Microsoft.Extensions.Time.Testing.FakeTimeProvider Time, DeliverySender Sender)> OneAlertAsync(
        int status, Dictionary<string, string?>? settings = null)
    {
        var (host, time) = await AlertingHost.StartAsync(settings);
        await ChannelAsync(host, "/hook");
        await QueueAsync(host, "errors");
        _receiver.Answer = _ => status;
        return (host, time, host.Get<DeliverySender>());
    }

    private static async Task<List<DeliveryAttempt>> AttemptsAsync(CoreTestHost host)
    {
        await using var db = await host.Db();
        return await db.DeliveryAttempts.OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Backoff_doubles_up_to_the_maximum_and_the_recovered_receiver_gets_the_alert_once_under_one_key()
    {
        var (host, time, sender) = await OneAlertAsync(503); // retry base 10 s, max 300 s
        await using var _h = host;

        var delays = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var next = await sender.RunOnceAsync();
            Assert.NotNull(next);
            delays.Add((next.Value - time.GetUtcNow()).TotalSeconds);
            Assert.Null(await NextAttemptWithoutAdvancingAsync(sender, time)); // not due yet: no request
            time.Advance(next.Value - time.GetUtcNow());
        }
        Assert.Equal([10, 20, 40, 80, 160, 300, 300], delays.Select(d => Math.Round(d)));
        Assert.Equal(7, _receiver.Requests.Count);

        _receiver.Answer = _ => 200;
        Assert.Null(await sender.RunOnceAsync()); // delivered: nothing pending
        time.Advance(TimeSpan.FromHours(1));
        await sender.RunOnceAsync();
        Assert.Equal(8, _receiver.Requests.Count);
        Assert.Single(_receiver.Requests, r => r.Status == 200);
        Assert.Single(_receiver.Requests.Select(r => r.Header("Idempotency-Key")).Distinct());
        Assert.Single(_receiver.Requests.Select(r => r.Json.GetProperty("idempotency_key").GetString()).Distinct());
        var attempts = await AttemptsAsync(host);
        Assert.Equal(Enumerable.Range(1, 8), attempts.Select(a => a.Attempt));
        Assert.Equal(AttemptOutcome.Delivered, attempts[^1].Outcome);
        Assert.All(attempts.SkipLast(1), a => Assert.Equal((503, AttemptOutcome.Retry), (a.StatusCode!.Value, a.Outcome)));
    }

    private async Task<DateTimeOffset?> NextAttemptWithoutAdvancingAsync(DeliverySender sender, Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        var before = _receiver.Requests.Count;
        await sender.RunOnceAsync();
        return _receiver.Requests.Count == before ? null : time.GetUtcNow();
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var (host, time, sender) = await OneAlertAsync(429);
        await using var _h = host;
        _receiver.RetryAfterSeconds = 120;

        var next = await sender.RunOnceAsync();

        Assert.Equal(120, (next!.Value - time.GetUtcNow()).TotalSeconds, 3);
        var attempt = Assert.Single(await AttemptsAsync(host));
        Assert.Equal((429, AttemptOutcome.Retry), (attempt.StatusCode!.Value, attempt.Outcome));
        Assert.Contains("HTTP 429", attempt.Error);
    }

    [Fact]
    public async Task A_client_error_fails_at_once_and_is_not_retried()
    {
        var (host, time, sender) = await OneAlertAsync(400);
        await using var _h = host;

        Assert.Null(await sender.RunOnceAsync());
        time.Advance(TimeSpan.FromHours(1));
        await sender.RunOnceAsync();

        Assert.Single(_receiver.Requests);
        await using var db = await host.Db();
        var delivery = await db.AlertDeliveries.SingleAsync();
        Assert.Equal((DeliveryStatus.Failed, 400, 1), (delivery.Status, delivery.LastStatusCode!.Value, delivery.Attempts));
    }

    [Fact]
    public async Task A_receiver_down_longer_than_the_retry_period_is_given_up_on()
    {
        var (host, time, sender) = await OneAlertAsync(503, new() { ["Vigil:Alerting:RetryForHours"] = "1" });
        await using var _h = host;

        DateTimeOffset? next;
        while ((next = await sender.RunOnceAsync()) is not null) time.Advance(next.Value - time.GetUtcNow());

        await using var db = await host.Db();
        var delivery = await db.AlertDeliveries.SingleAsync();
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("Gave up after", delivery.LastError);
        Assert.InRange(time.GetUtcNow() - AlertingHost.Now, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromSeconds(300));
        Assert.InRange(_receiver.Requests.Count, 10, 20); // 10, 20, 40, 80, 160 s, then every 300 s for the rest of the hour
    }

    [Fact]
    public async Task A_failing_channel_holds_back_its_later_alerts_but_not_other_channels()
    {
        var (host, time) = await AlertingHost.StartAsync();
        await using var _h = host;
        var sender = host.Get<DeliverySender>();
        await ChannelAsync(host, "/down");
        await ChannelAsync(host, "/up");
        await QueueAsync(host, "first");
        await QueueAsync(host, "second");
        _receiver.Answer = path => path == "/down" ? 503 : 200;

        var next = await sender.RunOnceAsync();

        Assert.Equal(["first", "second"], _receiver.At("/up").Select(r => r.Json.GetProperty("title").GetString()));
        Assert.Equal(["first"], _receiver.At("/down").Select(r => r.Json.GetProperty("title").GetString()));
        _receiver.Answer = _ => 200;
        time.Advance(next!.Value - time.GetUtcNow());
        Assert.Null(await sender.RunOnceAsync());
        // In order once it is back: the first again, then the second.
        Assert.Equal(["first", "first", "second"], _receiver.At("/down").Select(r => r.Json.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Filters_decide_which_channels_get_an_alert_and_a_test_goes_to_its_channel_only()
    {
        var (host, _) = await AlertingHost.StartAsync();
        await using var _h = host;
        var sender = host.Get<DeliverySender>();
        await ChannelAsync(host, "/drift-only", sources: [AlertSource.Drift]);
        var slack = await ChannelAsync(host, "/slack", ChannelType.Slack);
        await QueueAsync(host, "monitor alert");
        await host.Get<ChannelService>().SendTestAsync("p1", slack.Id);

        await sender.RunOnceAsync();

        Assert.Empty(_receiver.At("/drift-only"));
        Assert.Equal(2, _receiver.At("/slack").Count);
        Assert.Equal(AlertingOutcomeKind.NotFound, (await host.Get<ChannelService>().SendTestAsync("p2", slack.Id)).Kind); // another project's channel
    }

    [Fact]
    public async Task Urls_and_secrets_are_encrypted_at_rest()
    {
        var (host, _) = await AlertingHost.StartAsync();
        await using var _h = host;
        var created = (await host.Get<ChannelService>().CreateAsync("p1",
            new ChannelInput("hook", ChannelType.Webhook, "https://hooks.example.test/services/T000/B000/SECRETPATH", null, null))).Value!;

        Assert.StartsWith(WebhookSignature.SecretPrefix, created.Secret);
        await using var db = await host.Db();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "SELECT url_protected || '|' || url_hint || '|' || secret_protected FROM alert_channels";
        var raw = (string)(await cmd.ExecuteScalarAsync())!;
        Assert.DoesNotContain("SECRETPATH", raw);
        Assert.DoesNotContain(created.Secret!, raw);
        Assert.Contains("https://hooks.example.test|", raw); // the hint: scheme and host only
    }
}
