using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Traces;

/// <summary>
/// Full-text <c>q</c>, name and model filters through the text index give what a substring scan gives (case-insensitive,
/// scoped to the project, current after re-sends), on the index path (few matches, exact total) and on the walk path
/// (a word too common to narrow by, total as a lower bound).
/// </summary>
public class TraceSearchTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;

    private static readonly string[] Texts =
    [
        "Forgot password? Reset it here", "refund for order ORD-12345", "The Quick brown fox", "100% sure_thing", "quote \\\"inside\\\" text",
        "tabs\\tand newlines\\n", "Refunded twice", "nothing to see", "ord-123", "password-reset flow",
    ];

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        await _host.Get<Vigil.Core.Projects.ProjectService>().CreateAsync("other", "Other", null);
        var spans = new JsonArray();
        for (var i = 0; i < 40; i++)
        {
            var text = Texts[i % Texts.Length];
            spans.Add(Span($"t{i}", "root", i % 3 == 0 ? "agent-" + text.Split(' ')[0] : "step", $"{{\"prompt\":\"{text} #{i}\"}}", i % 4 == 0 ? $"{{\"answer\":\"{Texts[(i + 3) % Texts.Length]}\"}}" : null,
                model: i % 5 == 0 ? "gpt-4o-mini" : "claude-3-5-haiku", minute: i));
            spans.Add(Span($"t{i}", "child", "lookup", "{\"q\":1}", "{\"ok\":true}", parent: "root", minute: i));
        }
        Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString())).Outcome);
        // The same words in another project never show in p1.
        Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(
            new JsonObject { ["spans"] = new JsonArray(Span("x1", "root", "password refund", "{\"prompt\":\"Forgot password refund\"}", null, minute: 1)) }.ToJsonString(),
            project: "other")).Outcome);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static JsonObject Span(string trace, string id, string name, string input, string? output, string? parent = null, string? model = null, int minute = 0) => new()
    {
        ["trace_id"] = trace, ["span_id"] = trace + "-" + id, ["parent_span_id"] = parent is null ? null : trace + "-" + parent, ["name"] = name,
        ["kind"] = model is null ? "tool" : "llm", ["model"] = model,
        ["input"] = JsonNode.Parse(input), ["output"] = output is null ? null : JsonNode.Parse(output),
        ["start_time"] = $"2026-02-01T10:{minute:00}:00Z", ["end_time"] = $"2026-02-01T10:{minute:00}:01Z",
    };

    private Task<Page<TraceRecord>> List(TraceQuery q) => _host.Get<TraceQueryService>().ListAsync("p1", q);

    /// <summary>The traces of p1 whose name, span names or stored input/output text contain <paramref name="q"/> (ASCII case-insensitive).</summary>
    private async Task<List<string>> Scan(string q)
    {
        await using var db = await _host.Db();
        var spans = await db.Spans.AsNoTracking().Where(s => s.ProjectId == "p1").ToListAsync();
        var traces = await db.Traces.AsNoTracking().Where(t => t.ProjectId == "p1").ToListAsync();
        bool Has(string? s) => s is not null && s.Contains(q, StringComparison.OrdinalIgnoreCase);
        // Stored JSON text: SQLite keeps it as sent, PostgreSQL as jsonb prints it.
        return traces.Where(t => Has(t.Name) || spans.Any(s => s.TracePk == t.Id && (Has(s.Name) || Has(s.Input) || Has(s.Output))))
            .OrderByDescending(t => t.StartTimeUs).ThenByDescending(t => t.Id).Select(t => t.TraceId).ToList();
    }

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("Forgot password")]
    [InlineData("refund")]
    [InlineData("ord-123")]
    [InlineData("ORD-12345")]
    [InlineData("100%")]
    [InlineData("% s")]
    [InlineData("sure_thing")]
    [InlineData("e_t")]
    [InlineData("agent-refund")]
    [InlineData("lookup")]
    [InlineData("#17")]
    [InlineData("zzqxj")]
    [InlineData("\"prompt\"")]
    public async Task Full_text_matches_a_substring_scan(string q)
    {
        var page = await List(new TraceQuery { Q = q, Limit = 200 });
        var expected = await Scan(q);
        Assert.Equal(expected, page.Items.Select(t => t.TraceId));
        Assert.Equal(expected.Count, page.Total);
        Assert.True(page.TotalExact);
    }

    [Fact]
    public async Task Name_and_model_filters_match_substrings_case_insensitively()
    {
        Assert.Equal(["t39", "t36", "t33", "t30", "t27", "t24", "t21", "t18", "t15", "t12", "t9", "t6", "t3", "t0"],
            (await List(new TraceQuery { Name = "AGENT-", Limit = 100 })).Items.Select(t => t.TraceId));
        Assert.Equal(8, (await List(new TraceQuery { Model = "4o-MINI", Limit = 100 })).Total);
        Assert.Equal(8, (await List(new TraceQuery { Model = "4o", Limit = 100 })).Total); // 2 characters: no index, a scan
        Assert.Equal(0, (await List(new TraceQuery { Name = "zzqxj" })).Total);
        Assert.Equal(["t30", "t0"], (await List(new TraceQuery { Name = "agent-forgot", Model = "mini", Q = "password" })).Items.Select(t => t.TraceId));
    }

    [Fact]
    public async Task A_resent_span_is_found_by_its_new_text_only()
    {
        Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject
        {
            ["spans"] = new JsonArray(Span("t7", "root", "step", "{\"prompt\":\"rewritten entirely\"}", "{\"answer\":\"kumquat\"}", minute: 7)),
        }.ToJsonString())).Outcome);
        Assert.Equal(["t7"], (await List(new TraceQuery { Q = "kumquat" })).Items.Select(t => t.TraceId));
        Assert.Equal(["t7"], (await List(new TraceQuery { Q = "rewritten" })).Items.Select(t => t.TraceId));
        Assert.DoesNotContain("t7", (await List(new TraceQuery { Q = "nothing to see", Limit = 200 })).Items.Select(t => t.TraceId));
    }

    [Fact]
    public async Task More_matches_than_the_count_limit_walk_the_list_and_report_a_lower_bound()
    {
        var n = TraceQueryService.CountLimit + 60;
        var spans = new JsonArray();
        for (var i = 0; i < n; i++)
            spans.Add(new JsonObject
            {
                ["trace_id"] = $"bulk-{i}", ["span_id"] = $"bulk-{i}", ["name"] = "bulk", ["status"] = i % 100 == 0 ? "error" : "ok",
                ["input"] = new JsonObject { ["prompt"] = (i % 2 == 0 ? "common word here" : "Common WORD there") + (i % 7 == 0 ? " a rarer Chargeback" : "") },
                ["start_time"] = DateTimeOffset.Parse("2026-03-01T00:00:00Z").AddSeconds(i).ToString("O"),
            });
        foreach (var chunk in spans.Chunk(1000))
            Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject { ["spans"] = new JsonArray([.. chunk.Select(s => s!.DeepClone())]) }.ToJsonString())).Outcome);

        // A rarer word, still in more than SearchCountLimit traces: narrowed by the index to its set, with an exact total.
        var rare = await List(new TraceQuery { Q = "chargeback", Limit = 5 });
        Assert.True(rare.TotalExact);
        Assert.Equal(Enumerable.Range(0, n).Count(i => i % 7 == 0), rare.Total);
        Assert.Equal(Enumerable.Range(0, n).Where(i => i % 7 == 0).Reverse().Take(5).Select(i => $"bulk-{i}"), rare.Items.Select(t => t.TraceId));

        var first = await List(new TraceQuery { Q = "common word", Limit = 20 });
        Assert.False(first.TotalExact);
        Assert.Equal(TraceQueryService.SearchCountLimit, first.Total);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"bulk-{n - 1 - i}"), first.Items.Select(t => t.TraceId));
        var deep = await List(new TraceQuery { Q = "common word", Offset = n - 10, Limit = 20, Sort = TraceSort.StartTime, Descending = false });
        Assert.Equal(Enumerable.Range(n - 10, 10).Select(i => $"bulk-{i}"), deep.Items.Select(t => t.TraceId));
        // With another filter the walk counts: every error trace of the bulk.
        var errors = await List(new TraceQuery { Q = "common word", Status = "error", Limit = 5 });
        Assert.True(errors.TotalExact);
        Assert.Equal(Enumerable.Range(0, n).Count(i => i % 100 == 0), errors.Total);
    }

    [Fact]
    public async Task A_name_or_model_found_in_more_traces_than_the_count_limit_reports_the_capped_total_without_counting()
    {
        var n = TraceQueryService.CountLimit + 5;
        var spans = new JsonArray();
        for (var i = 0; i < n; i++)
            spans.Add(new JsonObject
            {
                ["trace_id"] = $"many-{i}", ["span_id"] = $"many-{i}", ["name"] = "Nightly-Batch", ["kind"] = "llm", ["model"] = "bulk-model-x",
                ["status"] = i % 1000 == 0 ? "error" : "ok", ["start_time"] = DateTimeOffset.Parse("2026-03-01T00:00:00Z").AddSeconds(i).ToString("O"),
            });
        foreach (var chunk in spans.Chunk(1000))
            Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject { ["spans"] = new JsonArray([.. chunk.Select(s => s!.DeepClone())]) }.ToJsonString())).Outcome);

        foreach (var query in new[] { new TraceQuery { Name = "nightly-batch", Limit = 3 }, new TraceQuery { Model = "BULK-model", Limit = 3 } })
        {
            var commands = new List<(string Sql, (string Name, object Value)[] Args)>();
            Page<TraceRecord> page;
            using (new CommandCapture(_host.Owns, commands)) page = await List(query);
            // The index already found more than the limit: counting again would read 10,001 rows of a walk.
            Assert.DoesNotContain(commands, c => c.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase));
            Assert.False(page.TotalExact);
            Assert.Equal(TraceQueryService.CountLimit, page.Total);
            Assert.Equal([$"many-{n - 1}", $"many-{n - 2}", $"many-{n - 3}"], page.Items.Select(t => t.TraceId));
        }
        // Two filters together may match fewer than either alone: those are counted.
        var both = await List(new TraceQuery { Name = "nightly-batch", Status = "error", Limit = 3 });
        Assert.True(both.TotalExact);
        Assert.Equal(Enumerable.Range(0, n).Count(i => i % 1000 == 0), both.Total);
    }

    [Fact]
    public async Task A_word_with_many_candidates_elsewhere_is_still_counted_exactly_in_this_project()
    {
        // More candidate spans than the index lists cheaply (2 × CountLimit), all in another project: p1's 60 traces are
        // still a verified set with an exact total, not a walk that stops at a full page (they are the newest) and reports "1,000+".
        var perBatch = 1000;
        for (var b = 0; b * perBatch <= 2 * TraceQueryService.CountLimit; b++)
        {
            var spans = new JsonArray();
            for (var j = 0; j < perBatch; j++)
                spans.Add(Span($"o{b}-{j / 50}", $"s{j}", "step", "{\"prompt\":\"xylophone lesson\"}", null, minute: j % 60));
            Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString(), project: "other")).Outcome);
        }
        var mine = new JsonArray();
        for (var i = 0; i < 60; i++) mine.Add(Span($"x{i}", "root", "step", "{\"prompt\":\"a Xylophone\"}", null, minute: 59));
        Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject { ["spans"] = mine }.ToJsonString())).Outcome);

        var page = await List(new TraceQuery { Q = "xylophone", Limit = 50 });
        Assert.True(page.TotalExact);
        Assert.Equal(60, page.Total);
        Assert.Equal(50, page.Items.Count);
        Assert.All(page.Items, t => Assert.StartsWith("x", t.TraceId));
    }

    [Fact]
    public async Task A_word_in_many_spans_of_few_traces_is_counted_exactly()
    {
        // 60 traces of 150 spans each hold the word: more matching spans than PostgreSQL rechecks in one go (8,000), few
        // traces. Their distinct traces are read, so the total is exact rather than a walk's "1,000+" after one page.
        for (var b = 0; b < 9; b++)
        {
            var spans = new JsonArray();
            for (var j = 0; j < 1000; j++)
            {
                var n = b * 1000 + j;
                spans.Add(Span($"m{n % 60}", $"s{n}", "step", "{\"prompt\":\"the Marimba part\"}", null, minute: 59));
            }
            Assert.Equal(IngestOutcome.Accepted, (await _host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString())).Outcome);
        }

        var page = await List(new TraceQuery { Q = "marimba", Limit = 50 });
        Assert.True(page.TotalExact);
        Assert.Equal(60, page.Total);
        Assert.Equal(50, page.Items.Count);
        Assert.All(page.Items, t => Assert.StartsWith("m", t.TraceId));
    }
}
