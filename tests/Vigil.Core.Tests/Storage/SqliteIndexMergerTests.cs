using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Core.Ingest;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Storage;

/// <summary>
/// The text index merges in the background, not in the ingest transaction: every commit adds a segment and merges
/// nothing ('automerge' 0); the merger's short steps bring the segments back down and search still answers right.
/// </summary>
[Trait("Provider", "Sqlite")]
public class SqliteIndexMergerTests
{
    [Fact]
    public async Task Commits_add_segments_and_the_background_merger_merges_them()
    {
        await using var host = await CoreTestHost.StartAsync();
        if (host.Storage.IsOnPostgres) return;
        Assert.Equal(0, Scalar(host, "SELECT v FROM spans_fts_config WHERE k = 'automerge'"));
        Assert.Equal(0, Scalar(host, "SELECT v FROM traces_fts_config WHERE k = 'automerge'"));
        Assert.Equal(64, Scalar(host, "SELECT v FROM spans_fts_config WHERE k = 'crisismerge'"));
        Assert.Equal(64, Scalar(host, "SELECT v FROM traces_fts_config WHERE k = 'crisismerge'"));

        for (var commit = 0; commit < 12; commit++)
        {
            var spans = new JsonArray();
            for (var s = 0; s < 5; s++)
                spans.Add(new JsonObject
                {
                    ["trace_id"] = $"t{commit}", ["span_id"] = $"s{commit}-{s}", ["name"] = "step", ["kind"] = "llm",
                    ["input"] = new JsonObject { ["prompt"] = $"{(commit % 2 == 0 ? "evenword" : "oddword")} {commit} {s}" },
                    ["start_time"] = "2026-06-01T12:00:00Z", ["end_time"] = "2026-06-01T12:00:01Z",
                });
            Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString())).Outcome);
        }
        // One segment per commit: nothing merged in the writer (automerge would have merged every 4).
        var before = Segments(host);
        Assert.True(before >= 12, $"{before} segments after 12 commits");

        var merger = host.Services.GetServices<IHostedService>().OfType<SqliteIndexMerger>().Single();
        var steps = 0;
        while ((await merger.StepAsync(4096, CancellationToken.None)).More) Assert.True(++steps < 100, "the merge never ended");
        var after = Segments(host);
        Assert.True(after < 4, $"{before} → {after} segments");
        Scalar(host, "INSERT INTO spans_fts (spans_fts, rank) VALUES ('integrity-check', 0)");

        var queries = host.Get<TraceQueryService>();
        Assert.Equal(6, (await queries.ListAsync("p1", new TraceQuery { Q = "evenword" })).Total);
        Assert.Equal(6, (await queries.ListAsync("p1", new TraceQuery { Q = "oddword" })).Total);
    }

    [Fact]
    public async Task Merging_gives_way_to_waiting_batches_until_the_index_has_many_segments()
    {
        await using var host = await CoreTestHost.StartAsync();
        if (host.Storage.IsOnPostgres) return;
        var merger = host.Services.GetServices<IHostedService>().OfType<SqliteIndexMerger>().Single();
        Assert.False(await merger.GivesWayAsync(CancellationToken.None)); // nothing waits

        // The writer is held: a batch waits for it. A compact index: merging gives way.
        Assert.True(await WhileABatchWaitsAsync(host, () => merger.GivesWayAsync(CancellationToken.None)));

        for (var commit = 0; Segments(host) <= SqliteIndexMerger.SegmentsBeforeInsisting; commit++)
            await IngestAsync(host, $"many{commit}", "filler");
        Assert.Equal(SqliteIndexMerger.SegmentsBeforeInsisting + 1, await merger.SegmentsAsync(CancellationToken.None));
        // Past the threshold merging insists, waiting batch or not.
        Assert.False(await WhileABatchWaitsAsync(host, () => merger.GivesWayAsync(CancellationToken.None)));
    }

    private static async Task<bool> WhileABatchWaitsAsync(CoreTestHost host, Func<Task<bool>> check)
    {
        Task waiting;
        bool answer;
        using (await host.Get<WriteGate>().EnterAsync(CancellationToken.None))
        {
            waiting = IngestAsync(host, "waiting" + Guid.NewGuid().ToString("N"), "waits");
            for (var waited = 0; host.Get<IngestPipeline>().Waiting == 0; waited += 10)
            {
                Assert.True(waited < 10_000, "the batch never reached the pipeline");
                await Task.Delay(10);
            }
            answer = await check();
        }
        await waiting;
        return answer;
    }

    private static async Task IngestAsync(CoreTestHost host, string trace, string word) =>
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(new JsonObject
        {
            ["spans"] = new JsonArray(new JsonObject
            {
                ["trace_id"] = trace, ["span_id"] = trace, ["name"] = "step", ["input"] = new JsonObject { ["prompt"] = word },
                ["start_time"] = "2026-06-01T12:00:00Z", ["end_time"] = "2026-06-01T12:00:01Z",
            }),
        }.ToJsonString())).Outcome);

    private static long Segments(CoreTestHost host) => Scalar(host, "SELECT count(DISTINCT segid) FROM spans_fts_idx");

    private static long Scalar(CoreTestHost host, string sql)
    {
        using var c = new SqliteConnection($"Data Source={host.DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
