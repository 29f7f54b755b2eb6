using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;

namespace Vigil.Core.Tests.Ingest;

public class IngestPipelineTests
{
    [Fact]
    public async Task Concurrent_batches_share_commits_and_a_failing_one_does_not_take_the_others_down()
    {
        await using var host = await CoreTestHost.StartAsync();
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            // Batch 17 names a project that does not exist: its rows violate the foreign key.
            host.IngestJsonAsync($$"""{"spans":[{"span_id":"s","trace_id":"c{{i}}"},{"span_id":"t","trace_id":"c{{i}}","parent_span_id":"s"}]}""", i == 17 ? "ghost" : "p1"))).ToList();

        var outcomes = await Task.WhenAll(tasks.Select(async t =>
        {
            try { return (await t).Outcome.ToString(); }
            catch (Exception) { return "failed"; }
        }));

        Assert.Equal("failed", outcomes[17]);
        Assert.Equal(39, outcomes.Count(o => o == nameof(IngestOutcome.Accepted)));
        await using var db = await host.Db();
        Assert.Equal(39, await db.Traces.CountAsync());
        Assert.Equal(78, await db.Spans.CountAsync());
        Assert.True(host.Get<IngestPipeline>().Commits <= 40);
    }
}
