using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Vigil.Core.Ingest;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Storage;

/// <summary>
/// The ingest writer indexes span and trace text itself, last in its transaction: a commit adds one segment however many
/// spans it holds (the triggers it replaced flushed a segment per span), and the index stays exact through updates,
/// renames, new models and several batches of one trace in one group. Checked on the index itself, since search
/// verifies candidates by LIKE and would hide a stale entry, though not a missing one.
/// </summary>
[Trait("Provider", "Sqlite")]
public class SqliteTextIndexTests
{
    private static JsonObject Span(string trace, string id, string? name = "step", string? input = null, string? output = null, string? model = null) => new()
    {
        ["trace_id"] = trace, ["span_id"] = id, ["name"] = name, ["kind"] = model is null ? "tool" : "llm", ["model"] = model,
        ["input"] = input is null ? null : new JsonObject { ["prompt"] = input },
        ["output"] = output is null ? null : new JsonObject { ["answer"] = output },
        ["start_time"] = "2026-06-01T12:00:00Z", ["end_time"] = "2026-06-01T12:00:01Z",
    };

    private static string Batch(params JsonObject[] spans) => new JsonObject { ["spans"] = new JsonArray(spans) }.ToJsonString();

    [Fact]
    public async Task A_commit_adds_one_segment_however_many_spans_it_holds()
    {
        await using var host = await CoreTestHost.StartAsync();
        if (host.Storage.IsOnPostgres) return;
        var spans = Enumerable.Range(0, 40).Select(i => Span($"t{i % 8}", $"s{i}", input: $"word{i} and some text", model: i % 2 == 0 ? "gpt-4o" : null)).ToArray();
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(spans))).Outcome);
        Assert.Equal(1, Scalar(host, "SELECT count(DISTINCT segid) FROM spans_fts_idx"));
        Assert.Equal(1, Scalar(host, "SELECT count(DISTINCT segid) FROM traces_fts_idx"));
        Assert.Equal(40, SpanIds(host, "some text").Count);
        Assert.Equal(4, Traces(host, "gpt-4o", "models")); // t0, t2, t4, t6
    }

    [Fact]
    public async Task Updates_renames_and_new_models_leave_exactly_the_current_text_indexed()
    {
        await using var host = await CoreTestHost.StartAsync();
        if (host.Storage.IsOnPostgres) return;
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(
            Span("r1", "a", name: "firstname", input: "apricot", output: "cherry", model: "model-alpha")))).Outcome);
        // The span's output changes (its input stays), the trace is named explicitly and gains a model.
        var later = new JsonObject
        {
            ["trace_name"] = "renamedtrace",
            ["spans"] = new JsonArray(Span("r1", "a", name: null, output: "damson"), Span("r1", "b", input: "elderberry", model: "model-bravo")),
        };
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(later.ToJsonString())).Outcome);

        Assert.Equal(["a"], SpanIds(host, "apricot"));
        Assert.Equal(["a"], SpanIds(host, "damson"));
        Assert.Empty(SpanIds(host, "cherry"));
        Assert.Equal(["b"], SpanIds(host, "elderberry"));
        Assert.Equal(1, Traces(host, "renamedtrace", "name"));
        Assert.Equal(0, Traces(host, "firstname", "name"));
        Assert.Equal(1, Traces(host, "model-bravo", "models"));
        Scalar(host, "INSERT INTO spans_fts (spans_fts, rank) VALUES ('integrity-check', 0)");
        Scalar(host, "INSERT INTO traces_fts (traces_fts, rank) VALUES ('integrity-check', 0)");

        var queries = host.Get<TraceQueryService>();
        Assert.Equal(["r1"], (await queries.ListAsync("p1", new TraceQuery { Name = "renamedtrace" })).Items.Select(t => t.TraceId));
        Assert.Equal(["r1"], (await queries.ListAsync("p1", new TraceQuery { Model = "model-bravo" })).Items.Select(t => t.TraceId));
        Assert.Equal(["r1"], (await queries.ListAsync("p1", new TraceQuery { Q = "damson" })).Items.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Batches_of_one_trace_written_in_one_group_index_the_merged_text_once()
    {
        await using var host = await CoreTestHost.StartAsync();
        if (host.Storage.IsOnPostgres) return;
        var pipeline = host.Get<IngestPipeline>();
        var commits = pipeline.Commits;
        Task<IngestResult> first, second, third;
        // With the writer held, a first batch is taken alone; the next two wait in the queue and are written as one group.
        using (await host.Get<WriteGate>().EnterAsync(CancellationToken.None))
        {
            first = host.IngestJsonAsync(Batch(Span("other", "o", input: "unrelated")));
            await Until(() => pipeline.Waiting == 1 && pipeline.Queued == 0);
            second = host.IngestJsonAsync(Batch(Span("g", "x", input: "fig", output: "grape", model: "model-one")));
            third = host.IngestJsonAsync(new JsonObject
            {
                ["trace_name"] = "groupnamed",
                ["spans"] = new JsonArray(Span("g", "x", name: null, output: "honeydew"), Span("g", "y", input: "kiwi", model: "model-two")),
            }.ToJsonString());
            await Until(() => pipeline.Queued == 2);
        }
        foreach (var r in await Task.WhenAll(first, second, third)) Assert.Equal(IngestOutcome.Accepted, r.Outcome);
        // The lone batch and the group of two (a failed group is retried one by one: three).
        Assert.Equal(2, pipeline.Commits - commits);

        Assert.Equal(["x"], SpanIds(host, "fig"));
        Assert.Empty(SpanIds(host, "grape")); // its output was replaced
        Assert.Equal(["x"], SpanIds(host, "honeydew"));
        Assert.Equal(["y"], SpanIds(host, "kiwi"));
        Assert.Equal(1, Traces(host, "groupnamed", "name"));
        Assert.Equal(1, Traces(host, "model-two", "models", "g"));
        // Two commits, two segments: the group's new and updated rows went out in one flush.
        Assert.Equal(2, Scalar(host, "SELECT count(DISTINCT segid) FROM spans_fts_idx"));
        Scalar(host, "INSERT INTO spans_fts (spans_fts, rank) VALUES ('integrity-check', 0)");
        Scalar(host, "INSERT INTO traces_fts (traces_fts, rank) VALUES ('integrity-check', 0)");
    }

    [Fact]
    public async Task A_commit_that_updates_older_spans_and_adds_new_ones_is_one_segment()
    {
        await using var host = await CoreTestHost.StartAsync();
        if (host.Storage.IsOnPostgres) return;
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(
            [.. Enumerable.Range(0, 10).Select(i => Span("u", $"old{i}", input: $"first{i}"))]))).Outcome);
        // Ends the older spans (lower row ids) after adding new ones (higher), in one batch.
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(
            [.. Enumerable.Range(0, 5).Select(i => Span("u", $"new{i}", input: $"second{i}")), .. Enumerable.Range(0, 10).Select(i => Span("u", $"old{i}", name: null, output: $"ended{i}"))]))).Outcome);
        Assert.Equal(2, Scalar(host, "SELECT count(DISTINCT segid) FROM spans_fts_idx"));
        Assert.Equal(["old3"], SpanIds(host, "ended3"));
        Assert.Equal(["old3"], SpanIds(host, "first3"));
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "the pipeline never reached the expected state");
            await Task.Delay(10);
        }
    }

    /// <summary>The span ids whose indexed text holds <paramref name="word"/> (their rows joined by the index's row ids).</summary>
    private static List<string> SpanIds(CoreTestHost host, string word)
    {
        using var c = Open(host);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT s.span_id FROM spans_fts f JOIN spans s ON s.id = f.rowid WHERE spans_fts MATCH @w ORDER BY s.span_id";
        cmd.Parameters.AddWithValue("@w", Vigil.Core.Storage.Sqlite.Fts5Query.AllTrigrams(word));
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>How many traces' indexed <paramref name="column"/> holds <paramref name="text"/> (of one trace, when given).</summary>
    private static long Traces(CoreTestHost host, string text, string column, string? traceId = null)
    {
        using var c = Open(host);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM traces_fts f JOIN traces t ON t.id = f.rowid WHERE traces_fts MATCH @m AND (@t IS NULL OR t.trace_id = @t)";
        cmd.Parameters.AddWithValue("@m", Vigil.Core.Storage.Sqlite.Fts5Query.AllTrigrams(text, column));
        cmd.Parameters.AddWithValue("@t", (object?)traceId ?? DBNull.Value);
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    private static long Scalar(CoreTestHost host, string sql)
    {
        using var c = Open(host);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L);
    }

    private static SqliteConnection Open(CoreTestHost host)
    {
        var c = new SqliteConnection($"Data Source={host.DbPath}");
        c.Open();
        return c;
    }
}
