using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Replay;
using Vigil.Core.Storage;
using Vigil.Core.Retention;
using Vigil.Core.Tests.Metrics;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Retention;

/// <summary>
/// Retention and project deletion delete whole traces with everything that hangs on them (spans, full-text rows, replay
/// runs, what they added to the rollups and counts), in batches, on either provider.
/// </summary>
public class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static Task<CoreTestHost> StartAsync(Dictionary<string, string?>? extra = null) => CoreTestHost.StartAsync(extra, configure: (services, config) =>
    {
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddVigilRetention(config);
    });

    /// <summary>Trace i of the project: started <paramref name="daysAgo"/> days ago, three spans, the last ending a day later when <paramref name="longRunning"/>.</summary>
    private static async Task IngestAsync(CoreTestHost host, string project, string traceId, double daysAgo, bool longRunning = false, string word = "ordinary",
        string? session = null, string? user = null)
    {
        var start = Now.AddDays(-daysAgo);
        var spans = new JsonArray();
        for (var i = 0; i < 3; i++)
            spans.Add(new JsonObject
            {
                ["trace_id"] = traceId, ["span_id"] = $"{traceId}-{i}", ["parent_span_id"] = i == 0 ? null : $"{traceId}-0",
                ["name"] = i == 0 ? "agent" : "llm-call", ["kind"] = i == 0 ? "agent" : "llm", ["status"] = i == 2 && daysAgo > 20 ? "error" : "ok",
                ["model"] = i == 0 ? null : "gpt-4o", ["usage"] = new JsonObject { ["input_tokens"] = 10 * i, ["output_tokens"] = i }, ["cost_usd"] = 0.001 * i,
                ["input"] = new JsonObject { ["prompt"] = $"{word} question about {traceId}" }, ["output"] = new JsonObject { ["answer"] = new string('x', 200) },
                ["start_time"] = start.AddSeconds(i).ToString("O"),
                ["end_time"] = (i == 2 && longRunning ? start.AddDays(1) : start.AddSeconds(i + 1)).ToString("O"),
            });
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(
            new JsonObject { ["spans"] = spans, ["session_id"] = session, ["user_id"] = user }.ToJsonString(), project)).Outcome);
    }

    /// <summary>Sessions and end users are recomputed from the traces retention leaves; a session or user with none left goes, and so do the deleted traces' scores.</summary>
    [Fact]
    public async Task Retention_recomputes_sessions_and_users_and_deletes_the_scores_of_deleted_traces()
    {
        await using var host = await StartAsync();
        await IngestAsync(host, "p1", "old-a", 40, session: "s-old", user: "u1");
        await IngestAsync(host, "p1", "old-b", 39, session: "s-mixed", user: "u1");
        await IngestAsync(host, "p1", "new-a", 2, session: "s-mixed", user: "u1");
        await IngestAsync(host, "p1", "old-c", 41, session: "s-gone", user: "u-gone");
        var scores = host.Get<Vigil.Core.Scores.ScoreService>();
        foreach (var trace in new[] { "old-b", "new-a" })
            Assert.Empty((await scores.AddAsync("p1", new Vigil.Core.Scores.ScoreInput { TraceId = trace, Name = "helpful", Value = 1.0 })).Errors);

        var retention = host.Get<RetentionService>();
        await retention.SetAsync("p1", 30, null);
        Assert.Equal(new RetentionResult(3, 9), await retention.RunAsync("p1"));

        await using var db = await host.Db();
        var session = await db.Sessions.SingleAsync();
        Assert.Equal(("s-mixed", 1, 30L, 3L), (session.SessionId, session.TraceCount, session.InputTokens, session.OutputTokens));
        Assert.Equal(UnixMicros.From(Now.AddDays(-2)), session.FirstTimeUs);
        var user = await db.EndUsers.SingleAsync();
        Assert.Equal(("u1", 1, 1), (user.UserId, user.SessionCount, user.TraceCount));
        Assert.Equal([("s-mixed", "u1", 1)], (await db.SessionUsers.ToListAsync()).Select(p => (p.SessionId, p.UserId, p.TraceCount)));
        Assert.Equal(["new-a"], await db.Scores.Select(s => s.TraceId).ToListAsync());
    }

    [Fact]
    public async Task Days_delete_whole_traces_that_ended_before_the_cutoff_with_everything_on_them()
    {
        await using var host = await StartAsync();
        await host.Get<ProjectService>().CreateAsync("p2", "Other", null);
        for (var i = 0; i < 30; i++) await IngestAsync(host, "p1", $"old-{i}", 40 + i, word: "vintage");
        for (var i = 0; i < 10; i++) await IngestAsync(host, "p1", $"new-{i}", i);
        await IngestAsync(host, "p1", "straddling", 30.5, longRunning: true, word: "vintage"); // started before the cutoff, ended after
        await IngestAsync(host, "p2", "old-0", 45, word: "vintage"); // another project without retention
        await using (var seed = await host.Db())
        {
            seed.ReplayRuns.Add(new ReplayRun { Id = "run-of-old", ProjectId = "p1", OriginalTraceId = "old-3" });
            seed.ReplayRuns.Add(new ReplayRun { Id = "run-into-old", ProjectId = "p1", OriginalTraceId = "new-1", ResultTraceId = "old-4" });
            seed.ReplayRuns.Add(new ReplayRun { Id = "run-of-new", ProjectId = "p1", OriginalTraceId = "new-2" });
            await seed.SaveChangesAsync();
        }

        var retention = host.Get<RetentionService>();
        Assert.NotNull(await retention.SetAsync("p1", 30, null));
        var result = await retention.RunAsync("p1");

        Assert.Equal(new RetentionResult(30, 90), result);
        await using var db = await host.Db();
        Assert.Equal(["new-0", "new-1", "new-2", "new-3", "new-4", "new-5", "new-6", "new-7", "new-8", "new-9", "straddling"],
            (await db.Traces.Where(t => t.ProjectId == "p1").Select(t => t.TraceId).ToListAsync()).Order());
        Assert.Equal(33, await db.Spans.CountAsync(s => s.ProjectId == "p1"));
        Assert.Equal(3, await db.Spans.CountAsync(s => s.ProjectId == "p2"));
        Assert.Equal(["run-of-new"], await db.ReplayRuns.Select(r => r.Id).ToListAsync());
        await RollupRecount.AssertMatchesSpansAsync(db);
        // Full text no longer finds the deleted traces, in either index.
        var search = host.Get<TraceQueryService>();
        Assert.Equal(["straddling"], (await search.ListAsync("p1", new TraceQuery { Q = "vintage" })).Items.Select(t => t.TraceId));
        Assert.Equal(0, (await search.ListAsync("p1", new TraceQuery { Q = "old-1" })).Total);
        Assert.Equal(1, (await search.ListAsync("p2", new TraceQuery { Q = "vintage" })).Total);
        if (!host.Storage.IsOnPostgres)
        {
            // Contentless FTS5 tables answer only MATCH: count what each still indexes.
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM spans_fts WHERE spans_fts MATCH '\"old\" AND \"ld-\" AND \"d-1\"'").SingleAsync());
            Assert.Equal(3, await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM spans_fts WHERE spans_fts MATCH '\"new\" AND \"ew-\" AND \"w-1\"'").SingleAsync());
        }
        // A second run finds nothing more.
        Assert.Equal(new RetentionResult(0, 0), await retention.RunAsync("p1"));
    }

    [Fact]
    public async Task Max_spans_deletes_the_oldest_traces_first_and_the_server_default_applies_unless_a_project_opts_out()
    {
        await using var host = await StartAsync(new() { ["Vigil:Retention:Days"] = "50" });
        for (var i = 0; i < 20; i++) await IngestAsync(host, "p1", $"t{i:00}", 60 - i * 3); // 60, 57, ... 3 days ago
        var retention = host.Get<RetentionService>();
        Assert.Equal(50, (await retention.GetAsync("p1"))!.EffectiveDays);

        Assert.Equal(new RetentionResult(4, 12), await retention.RunAsync("p1")); // the default: 60, 57, 54, 51 days old
        await retention.SetAsync("p1", 0, 30); // keep forever, but at most 30 spans
        Assert.Null((await retention.GetAsync("p1"))!.EffectiveDays);
        Assert.Equal(new RetentionResult(6, 18), await retention.RunAsync("p1"));

        await using var db = await host.Db();
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"t{i:00}"), (await db.Traces.Select(t => t.TraceId).ToListAsync()).Order());
        Assert.Equal(30, await db.ProjectCounts.Where(c => c.ProjectId == "p1").SumAsync(c => c.Spans));
        await RollupRecount.AssertMatchesSpansAsync(db);
    }

    [Fact]
    public async Task A_deleted_projects_keys_stop_at_once_and_its_data_goes()
    {
        await using var host = await StartAsync(new() { ["Vigil:Retention:BatchMilliseconds"] = "1" }); // many small batches
        var projects = host.Get<ProjectService>();
        var (_, secret) = await projects.CreateAsync("doomed", "Doomed", null);
        Assert.NotNull(await projects.AuthenticateAsync(secret)); // cached from here on
        for (var i = 0; i < 25; i++) await IngestAsync(host, "doomed", $"d{i}", i);
        await IngestAsync(host, "p1", "kept", 1);

        var deletions = host.Get<ProjectDeletionService>();
        var status = await deletions.RequestAsync("doomed");
        Assert.Equal((25L, 25L), (status!.TracesTotal, status.TracesRemaining));
        Assert.Null(await projects.AuthenticateAsync(secret));
        Assert.Null(await host.Get<RetentionService>().RunAsync("doomed")); // no retention on a project being deleted

        await deletions.RunAsync("doomed", CancellationToken.None);
        Assert.Null(await deletions.StatusAsync("doomed"));
        Assert.Null(await projects.GetAsync("doomed"));
        await using var db = await host.Db();
        Assert.False(await db.Traces.AnyAsync(t => t.ProjectId == "doomed"));
        Assert.False(await db.MetricRollups.AnyAsync(r => r.ProjectId == "doomed"));
        Assert.False(await db.ApiKeys.AnyAsync(k => k.ProjectId == "doomed"));
        Assert.Equal(1, await db.Traces.CountAsync());
        await RollupRecount.AssertMatchesSpansAsync(db);
    }
}
