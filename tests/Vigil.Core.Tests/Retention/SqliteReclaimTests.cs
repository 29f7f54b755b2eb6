using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Retention;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Retention;

/// <summary>On SQLite, deleted history gives its space back: incremental vacuum, converted once on an existing file.</summary>
[Trait("Provider", "Sqlite")]
public class SqliteReclaimTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Deleting_half_of_the_history_shrinks_the_file_by_at_least_a_third()
    {
        await using var host = await CoreTestHost.StartAsync(createProject: false, migrate: false, configure: (services, config) =>
        {
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            services.AddVigilRetention(config);
        });
        if (host.Storage.IsOnPostgres) return;
        // An existing file without auto-vacuum, as an older Vigil wrote it: converted once.
        await using (var db = await host.Db()) await db.Database.MigrateAsync();
        await host.Get<ProjectService>().CreateAsync("p1", "Project one", null);
        Assert.Equal(0, Pragma(host, "auto_vacuum"));
        await host.Get<IHistoryStore>().PrepareAsync(CancellationToken.None);
        Assert.Equal(2, Pragma(host, "auto_vacuum")); // INCREMENTAL

        var payload = new string('y', 1500);
        for (var batch = 0; batch < 20; batch++)
        {
            var spans = new JsonArray();
            for (var t = 0; t < 50; t++)
                for (var s = 0; s < 3; s++)
                    spans.Add(new JsonObject
                    {
                        ["trace_id"] = $"t{batch}-{t}", ["span_id"] = $"t{batch}-{t}-{s}", ["name"] = "step", ["kind"] = "llm", ["model"] = "gpt-4o",
                        ["input"] = new JsonObject { ["prompt"] = $"{payload} {batch} {t} {s}" }, ["output"] = new JsonObject { ["text"] = payload },
                        ["start_time"] = Now.AddDays(batch < 10 ? -40 : -1).AddSeconds(t).ToString("O"),
                        ["end_time"] = Now.AddDays(batch < 10 ? -40 : -1).AddSeconds(t + 1).ToString("O"),
                    });
            Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString())).Outcome);
        }
        var before = Size(host);

        var retention = host.Get<RetentionService>();
        await retention.SetAsync("p1", 30, null);
        Assert.Equal(new RetentionResult(500, 1500), await retention.RunAsync("p1"));

        var after = Size(host);
        Assert.True(after <= before * 2 / 3, $"{before:N0} → {after:N0} bytes");
        Assert.Equal(0, Pragma(host, "freelist_count"));
    }

    [Fact]
    public async Task A_new_file_is_created_with_incremental_vacuum_so_that_no_later_start_rewrites_it()
    {
        await using var host = await CoreTestHost.StartAsync(createProject: false, migrate: false);
        if (host.Storage.IsOnPostgres) return;
        // The start-up order: prepare (on an empty file), then the migrations create the tables on other connections.
        await host.Get<IHistoryStore>().PrepareAsync(CancellationToken.None);
        await using (var db = await host.Db()) await db.Database.MigrateAsync();
        Assert.Equal(2, Pragma(host, "auto_vacuum")); // INCREMENTAL
    }

    [Fact]
    public async Task An_index_over_the_compaction_limit_is_left_to_its_own_merges_and_search_still_answers_right()
    {
        // Limit 0: every index is "too large", as a 10M-span one is under the default (its merge steps held the writer for
        // 125 ms–3 s each). The deletion and the vacuum still run; the postings of deleted rows stay as tombstones.
        await using var host = await CoreTestHost.StartAsync(new() { ["Vigil:Retention:MaxCompactedIndexMegabytes"] = "0" }, configure: (services, config) =>
        {
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            services.AddVigilRetention(config);
        });
        if (host.Storage.IsOnPostgres) return;
        await IngestOldAndNewAsync(host, spansPerTrace: 1);
        var pagesBefore = Scalar(host, "SELECT count(*) FROM spans_fts_data");

        var retention = host.Get<RetentionService>();
        await retention.SetAsync("p1", 30, null);
        Assert.Equal(new RetentionResult(500, 500), await retention.RunAsync("p1"));

        // Not compacted: the index did not shrink (with compaction it loses about half its pages, test below).
        var pagesAfter = Scalar(host, "SELECT count(*) FROM spans_fts_data");
        Assert.True(pagesAfter >= pagesBefore, $"{pagesBefore} → {pagesAfter} index pages, segments {Scalar(host, "SELECT count(DISTINCT segid) FROM spans_fts_idx")}");
        Scalar(host, "INSERT INTO spans_fts (spans_fts, rank) VALUES ('integrity-check', 0)");
        var queries = host.Get<TraceQueryService>();
        Assert.Equal(0, (await queries.ListAsync("p1", new TraceQuery { Q = "alphaword" })).Total);
        Assert.Equal(500, (await queries.ListAsync("p1", new TraceQuery { Q = "betaword" })).Total);
    }

    [Fact]
    public async Task A_large_deletion_compacts_the_text_index_in_steps_and_search_still_answers_right()
    {
        await using var host = await CoreTestHost.StartAsync(configure: (services, config) =>
        {
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            services.AddVigilRetention(config);
        });
        if (host.Storage.IsOnPostgres) return;
        // Delete-driven merges are off: they rewrote whole index levels inside one deletion batch.
        Assert.Equal(0, Scalar(host, "SELECT v FROM spans_fts_config WHERE k = 'deletemerge'"));
        Assert.Equal(0, Scalar(host, "SELECT v FROM traces_fts_config WHERE k = 'deletemerge'"));

        await IngestOldAndNewAsync(host, spansPerTrace: 3);
        var pagesBefore = Scalar(host, "SELECT count(*) FROM spans_fts_data");

        var retention = host.Get<RetentionService>();
        await retention.SetAsync("p1", 30, null);
        Assert.Equal(new RetentionResult(500, 1500), await retention.RunAsync("p1"));

        // Half the rows went, and so did their postings: the index is smaller than before, not a tombstoned copy of it.
        var pagesAfter = Scalar(host, "SELECT count(*) FROM spans_fts_data");
        Assert.True(pagesAfter < pagesBefore, $"{pagesBefore} → {pagesAfter} index pages");
        Assert.False(await host.Get<IHistoryStore>().CompactIndexAsync(64, first: false, CancellationToken.None)); // nothing left to do
        Scalar(host, "INSERT INTO spans_fts (spans_fts, rank) VALUES ('integrity-check', 0)");
        // Compacting while ingest adds segments between steps: the rewrite goes on (a restart at each step left its
        // outputs behind until FTS5 ran out of segment ids, SQLITE_FULL, at 1M spans).
        var store = host.Get<IHistoryStore>();
        var pagesCompacted = Scalar(host, "SELECT count(*) FROM spans_fts_data");
        for (var step = 0; step < 200; step++)
        {
            var live = new JsonArray();
            for (var s = 0; s < 3; s++)
                live.Add(new JsonObject
                {
                    ["trace_id"] = $"live-{step}", ["span_id"] = $"live-{step}-{s}", ["name"] = "step", ["kind"] = "tool",
                    ["input"] = new JsonObject { ["q"] = $"betaword live {step} {s} " + new string('r', 200) },
                    ["start_time"] = Now.AddMinutes(-5).ToString("O"), ["end_time"] = Now.AddMinutes(-4).ToString("O"),
                });
            Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(new JsonObject { ["spans"] = live }.ToJsonString())).Outcome);
            await store.CompactIndexAsync(1, first: step == 0, CancellationToken.None);
        }
        Scalar(host, "INSERT INTO spans_fts (spans_fts, rank) VALUES ('integrity-check', 0)");
        var pagesLive = Scalar(host, "SELECT count(*) FROM spans_fts_data");
        Assert.True(pagesLive < pagesCompacted + 200 * 3, $"{pagesCompacted} → {pagesLive} index pages after 200 steps with ingest between them");

        var queries = host.Get<TraceQueryService>();
        Assert.Equal(0, (await queries.ListAsync("p1", new TraceQuery { Q = "alphaword" })).Total);
        Assert.Equal(700, (await queries.ListAsync("p1", new TraceQuery { Q = "betaword" })).Total);
    }

    /// <summary>
    /// 20 batches of 50 traces: the first 10 batches ended 40 days ago and say "alphaword", the others a day ago and say
    /// "betaword"; each span has ~300 characters of text for the index.
    /// </summary>
    private static async Task IngestOldAndNewAsync(CoreTestHost host, int spansPerTrace)
    {
        for (var batch = 0; batch < 20; batch++)
        {
            var old = batch < 10;
            var spans = new JsonArray();
            for (var t = 0; t < 50; t++)
                for (var s = 0; s < spansPerTrace; s++)
                    spans.Add(new JsonObject
                    {
                        ["trace_id"] = $"c{batch}-{t}", ["span_id"] = $"c{batch}-{t}-{s}", ["name"] = "step", ["kind"] = "llm",
                        ["input"] = new JsonObject { ["prompt"] = $"{(old ? "alphaword" : "betaword")} question {batch} {t} {s} " + new string('q', 300) },
                        ["start_time"] = Now.AddDays(old ? -40 : -1).AddSeconds(t).ToString("O"),
                        ["end_time"] = Now.AddDays(old ? -40 : -1).AddSeconds(t + 1).ToString("O"),
                    });
            Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString())).Outcome);
        }
    }

    private static long Scalar(CoreTestHost host, string sql)
    {
        // Not pooled: an idle pooled connection reports the auto_vacuum of the header it read last.
        using var c = new SqliteConnection($"Data Source={host.DbPath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The main file after a checkpoint (the WAL holds pages until one runs).</summary>
    private static long Size(CoreTestHost host)
    {
        // Until the WAL is checkpointed the file keeps its old length. The ingest writer's own checkpoints (every 500 ms)
        // can hold the checkpoint lock at that moment, and the pragma then answers busy = 1 instead of waiting: retried.
        for (var attempt = 0; attempt < 100 && Pragma(host, "wal_checkpoint(TRUNCATE)") != 0; attempt++) Thread.Sleep(50);
        return new FileInfo(host.DbPath).Length;
    }

    private static long Pragma(CoreTestHost host, string pragma) => Scalar(host, "PRAGMA " + pragma);
}
