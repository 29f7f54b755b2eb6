using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;
using Vigil.Core.Sessions;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests.Sessions;

/// <summary>
/// Session and end-user rollups kept at ingest: they always equal what the stored traces add up to, through re-sends,
/// traces moving between sessions and users, shrinking time ranges, and two writers racing on one database.
/// </summary>
public class SessionRollupTests
{
    private static JsonObject Span(string trace, string span, int second, string? session = null, string? user = null, string status = "ok",
        int inTokens = 10, int outTokens = 5, double cost = 0.001, int? endSecond = null, string? parent = null)
    {
        var o = new JsonObject
        {
            ["span_id"] = span, ["trace_id"] = trace, ["parent_span_id"] = parent, ["name"] = "turn", ["kind"] = "llm", ["status"] = status,
            ["usage"] = new JsonObject { ["input_tokens"] = inTokens, ["output_tokens"] = outTokens }, ["cost_usd"] = cost,
            ["start_time"] = $"2026-01-01T00:00:{second:00}Z", ["end_time"] = $"2026-01-01T00:00:{endSecond ?? second + 1:00}Z",
        };
        if (session is not null) o["session_id"] = session;
        if (user is not null) o["user_id"] = user;
        return o;
    }

    private static string Batch(params JsonObject[] spans) => new JsonObject { ["spans"] = new JsonArray(spans) }.ToJsonString();

    private static string BatchWith(JsonObject top, params JsonObject[] spans)
    {
        top["spans"] = new JsonArray(spans);
        return top.ToJsonString();
    }

    [Fact]
    public async Task Batch_fields_name_the_first_trace_and_span_fields_the_rest()
    {
        await using var host = await CoreTestHost.StartAsync();
        var r = await host.IngestJsonAsync(BatchWith(new JsonObject { ["session_id"] = "conv-1", ["user_id"] = "alice" },
            Span("t1", "a", 1, session: "ignored-for-first", user: "bob"),
            Span("t2", "b", 2),
            Span("t2", "c", 3, session: "conv-2"),
            Span("t2", "d", 4, session: "conv-3", user: "carol"),
            Span("t3", "e", 5)));
        Assert.Equal(IngestOutcome.Accepted, r.Outcome);

        await using var db = await host.Db();
        var traces = await db.Traces.AsNoTracking().OrderBy(t => t.TraceId).ToListAsync();
        Assert.Equal(("conv-1", "alice"), (traces[0].SessionId, traces[0].UserId));
        Assert.Equal(("conv-2", "carol"), (traces[1].SessionId, traces[1].UserId)); // the first non-null of each field
        Assert.Equal((null, null), (traces[2].SessionId, traces[2].UserId));

        // A later non-null value replaces the stored one; a null one keeps it.
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(Span("t2", "f", 6, session: "conv-1")))).Outcome);
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(Span("t2", "g", 7)))).Outcome);
        var t2 = await db.Traces.AsNoTracking().SingleAsync(t => t.TraceId == "t2");
        Assert.Equal(("conv-1", "carol"), (t2.SessionId, t2.UserId));
        await AssertExactAsync(host);
        Assert.Equal(["conv-1"], await db.Sessions.Select(s => s.SessionId).ToListAsync());
    }

    [Fact]
    public async Task A_batch_without_sessions_writes_no_session_rows()
    {
        await using var host = await CoreTestHost.StartAsync();
        await host.IngestJsonAsync(Batch(Span("plain", "a", 1), Span("plain", "b", 2, parent: "a")));
        await using var db = await host.Db();
        Assert.Equal(0, await db.Sessions.CountAsync());
        Assert.Equal(0, await db.EndUsers.CountAsync());
        Assert.Equal(0, await db.SessionUsers.CountAsync());
    }

    [Fact]
    public async Task Rollups_follow_resends_moves_and_shrinking_time_ranges()
    {
        await using var host = await CoreTestHost.StartAsync();
        // Five turns of one conversation, two users, one error; then every kind of change.
        for (var turn = 0; turn < 5; turn++)
            await host.IngestJsonAsync(BatchWith(new JsonObject { ["session_id"] = "chat", ["user_id"] = turn < 3 ? "alice" : "bob" },
                Span($"turn-{turn}", $"root-{turn}", turn * 10, status: turn == 2 ? "error" : "ok", cost: 0.01 * (turn + 1)),
                Span($"turn-{turn}", $"llm-{turn}", turn * 10 + 1, parent: $"root-{turn}", inTokens: 100 + turn)));
        await AssertExactAsync(host);
        await using var db = await host.Db();
        var chat = await db.Sessions.AsNoTracking().SingleAsync();
        Assert.Equal(5, chat.TraceCount);
        Assert.Equal(1, chat.ErrorCount);
        Assert.Equal(2, await db.EndUsers.CountAsync());

        // Re-sent spans (same ids) change nothing but what changed.
        await host.IngestJsonAsync(BatchWith(new JsonObject { ["session_id"] = "chat" }, Span("turn-1", "root-1", 10, cost: 0.5)));
        await AssertExactAsync(host);
        // A trace moves to another session and user; a span's start moves later (the session's first time must grow back).
        await host.IngestJsonAsync(BatchWith(new JsonObject { ["session_id"] = "other", ["user_id"] = "carol" }, Span("turn-0", "llm-0", 1)));
        await host.IngestJsonAsync(Batch(Span("turn-1", "root-1", 15, endSecond: 16), Span("turn-1", "llm-1", 15, parent: "root-1")));
        await AssertExactAsync(host);
        // Every trace of a user leaves: the user and its session pairs go.
        for (var turn = 3; turn < 5; turn++) await host.IngestJsonAsync(BatchWith(new JsonObject { ["user_id"] = "alice" }, Span($"turn-{turn}", $"llm-{turn}", turn * 10 + 1)));
        await AssertExactAsync(host);
        Assert.Null(await db.EndUsers.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == "bob"));
        var alice = await db.EndUsers.AsNoTracking().SingleAsync(u => u.UserId == "alice");
        Assert.Equal(4, alice.TraceCount);
        Assert.Equal(1, alice.SessionCount);
        var carol = await db.EndUsers.AsNoTracking().SingleAsync(u => u.UserId == "carol");
        Assert.Equal(1, carol.SessionCount);
    }

    [Fact]
    public async Task Two_writers_racing_on_one_session_leave_exact_rollups()
    {
        await using var a = await CoreTestHost.StartAsync();
        await using var b = await CoreTestHost.StartAsync(createProject: false, shared: a.Storage);
        Task<IngestResult> Send(CoreTestHost host, string writer, int batch)
        {
            var spans = new List<JsonObject>();
            for (var i = 0; i < 12; i++)
            {
                // Both writers write the same traces and spans of a few sessions; some traces change session or user midway.
                var trace = $"trace-{(batch + i) % 9}";
                var session = $"s{(batch / 10 + i) % 3}";
                spans.Add(Span(trace, i < 6 ? $"shared-{batch}-{i}" : $"{writer}-{batch}-{i}", (batch + i) % 50,
                    session: session, user: $"u{(batch + i) % 4}", status: i % 5 == 0 ? "error" : "ok", cost: 0.0001 * (i + 1)));
            }
            return host.IngestJsonAsync(Batch([.. spans]));
        }
        var sends = Enumerable.Range(0, 40).SelectMany(i => new[] { Send(a, "a", i), Send(b, "b", i) }).ToList();
        foreach (var r in await Task.WhenAll(sends)) Assert.Equal(IngestOutcome.Accepted, r.Outcome);
        await AssertExactAsync(a);
    }

    /// <summary>Every session, user and session-user row equals what the stored traces add up to, and nothing else exists.</summary>
    internal static async Task AssertExactAsync(CoreTestHost host)
    {
        await using var db = await host.Db();
        var traces = await db.Traces.AsNoTracking().ToListAsync();
        static long Last(Vigil.Core.Traces.TraceRecord t) => Math.Max(t.EndTimeUs ?? t.StartTimeUs, t.StartTimeUs);

        var sessions = await db.Sessions.AsNoTracking().ToDictionaryAsync(s => (s.ProjectId, s.SessionId));
        var expectedSessions = traces.Where(t => t.SessionId is not null).GroupBy(t => (t.ProjectId, t.SessionId!)).ToList();
        Assert.Equal(expectedSessions.Select(g => g.Key).Order().ToList(), sessions.Keys.Order().ToList());
        foreach (var g in expectedSessions)
        {
            var s = sessions[g.Key];
            Assert.Equal(g.Count(), s.TraceCount);
            Assert.Equal(g.Sum(t => t.ErrorCount), s.ErrorCount);
            Assert.Equal(g.Sum(t => t.InputTokens), s.InputTokens);
            Assert.Equal(g.Sum(t => t.OutputTokens), s.OutputTokens);
            Assert.Equal(g.Sum(t => t.InputTokens + t.OutputTokens), s.TotalTokens);
            Assert.Equal(g.Sum(t => (decimal)t.CostUsd), (decimal)s.CostUsd, 9);
            Assert.Equal(g.Min(t => t.StartTimeUs), s.FirstTimeUs);
            Assert.Equal(g.Max(Last), s.LastTimeUs);
        }

        var pairs = await db.SessionUsers.AsNoTracking().ToDictionaryAsync(p => (p.ProjectId, p.SessionId, p.UserId), p => p.TraceCount);
        var expectedPairs = traces.Where(t => t.SessionId is not null && t.UserId is not null)
            .GroupBy(t => (t.ProjectId, t.SessionId!, t.UserId!)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expectedPairs.OrderBy(p => p.Key).ToList(), pairs.OrderBy(p => p.Key).ToList());

        var users = await db.EndUsers.AsNoTracking().ToDictionaryAsync(u => (u.ProjectId, u.UserId));
        var expectedUsers = traces.Where(t => t.UserId is not null).GroupBy(t => (t.ProjectId, t.UserId!)).ToList();
        Assert.Equal(expectedUsers.Select(g => g.Key).Order().ToList(), users.Keys.Order().ToList());
        foreach (var g in expectedUsers)
        {
            var u = users[g.Key];
            Assert.Equal(g.Count(), u.TraceCount);
            Assert.Equal(g.Count(t => t.ErrorCount > 0), u.ErrorTraceCount);
            Assert.Equal(g.Where(t => t.SessionId is not null).Select(t => t.SessionId).Distinct().Count(), u.SessionCount);
            Assert.Equal(g.Sum(t => t.InputTokens + t.OutputTokens), u.TotalTokens);
            Assert.Equal(g.Sum(t => (decimal)t.CostUsd), (decimal)u.CostUsd, 9);
            Assert.Equal(g.Min(t => t.StartTimeUs), u.FirstTimeUs);
            Assert.Equal(g.Max(Last), u.LastTimeUs);
        }
    }
}
