using Vigil.Core.Live;

namespace Vigil.Core.Tests.Live;

public class StalledSubscriberTests
{
    [Fact]
    public async Task A_stalled_subscriber_does_not_slow_or_break_ingest_of_50000_spans_and_stays_bounded()
    {
        await using var host = await CoreTestHost.StartAsync();
        using var stalled = host.Get<LiveFeed>().Subscribe("p1", capacity: 256); // never read

        for (var batch = 0; batch < 50; batch++)
        {
            var spans = string.Join(",", Enumerable.Range(0, 1000).Select(i =>
                $$"""{"span_id":"s{{i}}","trace_id":"t{{batch}}-{{i / 100}}","name":"n","kind":"tool","status":"ok","start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:01Z"}"""));
            var result = await host.IngestJsonAsync($$"""{"spans":[{{spans}}]}""");
            Assert.Equal(1000, result.SpanCount);
        }

        await using var db = await host.Db();
        Assert.Equal(50_000, db.Spans.Count());
        Assert.Equal(256, stalled.Pending);               // bounded: the queue never grows past its capacity
        Assert.True(stalled.Dropped > 0);                 // the oldest events were dropped instead
        Assert.Equal(50 + 500, stalled.Pending + stalled.Dropped); // every event was offered: 50 span batches + 500 trace rollups
    }
}
