using System.Diagnostics;
using System.Net;
using Vigil.Core.Live;

namespace Vigil.Tests.Cluster;

/// <summary>Redis is a bus: stopping it loses live pushes between instances, never data or service.</summary>
public class RedisOutageTests(ClusterFixture f) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Without_Redis_both_instances_ingest_and_read_say_degraded_and_pushes_resume_within_10_s_of_its_return()
    {
        await using var hub = await HubClient.ConnectAsync(f.B.BaseAddress);
        using var dashboard = f.B.Get<LiveFeed>().Subscribe(ClusterNode.ProjectId);
        using var a = f.A.Client();
        using var b = f.B.Client();

        await f.Redis.StopAsync();
        foreach (var node in new[] { f.A, f.B })
        {
            using var anonymous = node.Client(apiKey: null);
            await Http.UntilAsync(async () => (await anonymous.GetJsonAsync("/ready")).GetProperty("status").GetString() == "degraded",
                TimeSpan.FromSeconds(10), $"{node.Name} saying degraded");
            Assert.Equal("unavailable", (await anonymous.GetJsonAsync("/ready")).GetProperty("redis").GetString());
        }
        // Ingest and reads go on, on both.
        Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync("""{"spans":[{"span_id":"out-a","trace_id":"outage"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await b.PostTracesAsync("""{"spans":[{"span_id":"out-b","trace_id":"outage"}]}""")).StatusCode);
        Assert.Equal(2, (await b.GetJsonAsync("/v1/traces/outage")).GetProperty("span_count").GetInt32());
        Assert.Equal(2, (await a.GetJsonAsync("/v1/traces/outage")).GetProperty("span_count").GetInt32());
        // Signed-in pages too (their circuits do not go through Redis).
        using var anon = f.A.Client(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/account/login")).StatusCode);

        await f.Redis.StartAsync();
        var back = Stopwatch.StartNew();
        // Keep posting to A until both of B's paths (the hub's backplane and the dashboard's relay, separate Redis
        // subscriptions that come back one after the other) have seen a span posted after Redis returned.
        using var posting = new CancellationTokenSource();
        var poster = Task.Run(async () =>
        {
            for (var n = 0; !posting.IsCancellationRequested; n++)
            {
                Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync($$"""{"spans":[{"span_id":"after-{{n}}","trace_id":"after-outage"}]}""")).StatusCode);
                try { await Task.Delay(200, posting.Token); } catch (OperationCanceledException) { }
            }
        });
        try
        {
            await Http.UntilAsync(() => Task.FromResult(hub.SpanIds().Any(s => s.StartsWith("after-", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(10), "a span posted to A after Redis returned reaching B's hub client");
            await dashboard.CollectAsync(events => events.OfType<SpansEvent>().Any(e => e.Remote && e.Spans.Any(s => s.SpanId.StartsWith("after-", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(10.5) - back.Elapsed, "B's dashboard feed receiving A's spans again");
        }
        finally
        {
            await posting.CancelAsync();
            await poster;
        }
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(11), $"pushes resumed after {back.Elapsed}");
        using var ready = f.A.Client(apiKey: null);
        await Http.UntilAsync(async () => (await ready.GetJsonAsync("/ready")).GetProperty("status").GetString() == "ready", TimeSpan.FromSeconds(10), "A ready again");
        Assert.Equal(HubConnectionStateConnected, hub.State.ToString());
    }

    private const string HubConnectionStateConnected = "Connected";
}
