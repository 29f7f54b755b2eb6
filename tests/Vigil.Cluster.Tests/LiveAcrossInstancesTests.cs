using System.Net;
using Vigil.Core.Live;

namespace Vigil.Tests.Cluster;

/// <summary>The live feed across two instances: the hub through the SignalR Redis backplane, dashboards through the relay.</summary>
public class LiveAcrossInstancesTests(ClusterFixture f) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Spans_posted_to_A_reach_a_hub_client_and_a_dashboard_subscriber_on_B_once_each_and_in_order()
    {
        await using var hub = await HubClient.ConnectAsync(f.B.BaseAddress);
        using var dashboard = f.B.Get<LiveFeed>().Subscribe(ClusterNode.ProjectId);
        var trace = "live-" + Guid.NewGuid().ToString("N");
        var expected = Enumerable.Range(0, 6).Select(i => $"{trace}-s{i}").ToList();
        using var a = f.A.Client();
        foreach (var id in expected)
            Assert.Equal(HttpStatusCode.Created,
                (await a.PostTracesAsync($$"""{"spans":[{"span_id":"{{id}}","trace_id":"{{trace}}","name":"step","kind":"tool"}]}""")).StatusCode);

        await Http.UntilAsync(() => Task.FromResult(hub.SpanIds().Count(expected.Contains) == expected.Count), TimeSpan.FromSeconds(15), "every span on B's hub");
        var seen = await dashboard.CollectAsync(
            events => events.OfType<SpansEvent>().SelectMany(e => e.Spans).Count(s => s.TraceId == trace) == expected.Count
                && events.OfType<TraceEvent>().Any(e => e.Trace.TraceId == trace && e.Trace.SpanCount == expected.Count),
            TimeSpan.FromSeconds(15), "every span on B's dashboard feed");

        // In publication order, on both paths.
        Assert.Equal(expected, hub.SpanIds().Where(expected.Contains).ToList());
        var spans = seen.OfType<SpansEvent>().Where(e => e.Spans.Any(s => s.TraceId == trace)).ToList();
        Assert.Equal(expected, spans.SelectMany(e => e.Spans).Select(s => s.SpanId).ToList());
        Assert.All(spans, e => Assert.True(e.Remote));
        // The rollups follow the spans, one per batch, in order.
        var rollups = seen.OfType<TraceEvent>().Where(e => e.Trace.TraceId == trace).Select(e => e.Trace.SpanCount).ToList();
        Assert.Equal(Enumerable.Range(1, expected.Count), rollups);

        // Once each: nothing arrives twice (the hub is not fed by both the backplane and B's own forwarder).
        var later = await dashboard.DrainAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(later.OfType<SpansEvent>(), e => e.Spans.Any(s => s.TraceId == trace));
        Assert.Equal(expected.Count, hub.SpanIds().Count(expected.Contains));
        Assert.Equal(expected.Count, hub.Events.Count(e => e.Type == "trace" && e.Payload.GetProperty("trace_id").GetString() == trace));
    }

    [Fact]
    public async Task A_hub_client_on_A_gets_spans_posted_to_B_and_its_own_instance_s_spans_once()
    {
        await using var hub = await HubClient.ConnectAsync(f.A.BaseAddress);
        var trace = "mixed-" + Guid.NewGuid().ToString("N");
        using var a = f.A.Client();
        using var b = f.B.Client();
        Assert.Equal(HttpStatusCode.Created, (await b.PostTracesAsync($$"""{"spans":[{"span_id":"{{trace}}-b","trace_id":"{{trace}}","name":"on-b"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostTracesAsync($$"""{"spans":[{"span_id":"{{trace}}-a","trace_id":"{{trace}}","name":"on-a"}]}""")).StatusCode);

        await Http.UntilAsync(() => Task.FromResult(hub.SpanIds().Count(id => id.StartsWith(trace, StringComparison.Ordinal)) == 2), TimeSpan.FromSeconds(15), "both spans on A's hub");
        await Task.Delay(500);
        Assert.Equal([$"{trace}-a", $"{trace}-b"], hub.SpanIds().Where(id => id.StartsWith(trace, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Readiness_names_Redis_as_connected()
    {
        using var anonymous = f.B.Client(apiKey: null);
        var ready = await anonymous.GetJsonAsync("/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("connected", ready.GetProperty("redis").GetString());
    }
}
