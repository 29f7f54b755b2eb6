using System.Text.Json.Nodes;
using Vigil.Core.Ingest;
using Vigil.Core.Metrics;

namespace Vigil.Core.Tests.Metrics;

/// <summary>
/// The metric rollups ingest keeps: exact (equal to a recount from the stored spans) under re-sends, retries, repeats in
/// one batch and spans crossing minute and hour boundaries, on either provider.
/// </summary>
public class MetricRollupTests
{
    private static string Span(string id, string trace, string start, string? end, string kind = "llm", string status = "ok",
        string? model = "gpt-4o", int? inTokens = 10, int? outTokens = 5, double? cost = 0.00123, string? parent = null) =>
        new JsonObject
        {
            ["span_id"] = id, ["trace_id"] = trace, ["parent_span_id"] = parent, ["name"] = "op-" + id, ["kind"] = kind, ["status"] = status,
            ["model"] = model, ["cost_usd"] = cost,
            ["usage"] = inTokens is null ? null : new JsonObject { ["input_tokens"] = inTokens, ["output_tokens"] = outTokens },
            ["start_time"] = start, ["end_time"] = end,
        }.ToJsonString();

    private static string Batch(params string[] spans) => "{\"spans\":[" + string.Join(',', spans) + "]}";

    [Fact]
    public async Task Rollups_stay_exact_under_resends_retries_and_repeats()
    {
        await using var host = await CoreTestHost.StartAsync();
        await host.Get<Vigil.Core.Projects.ProjectService>().CreateAsync("p2", "Project two", null);

        // A span sent when it starts (no end, no usage), and again when it ends: with an end, an error, another model.
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(
            Span("a", "t1", "2026-01-01T10:59:50Z", null, inTokens: null, cost: null),
            Span("b", "t1", "2026-01-01T10:59:59.5Z", "2026-01-01T11:00:03Z", kind: "tool", model: null, cost: null, parent: "a")))).Outcome);
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(
            Span("a", "t1", "2026-01-01T10:59:50Z", "2026-01-01T11:00:10Z", status: "error", model: "gpt-4o-mini", inTokens: 100, outTokens: 50, cost: 0.5)))).Outcome);
        // A retried batch: exactly the same again.
        var retried = Batch(Span("c", "t2", "2026-01-01T11:30:00Z", "2026-01-01T11:30:00.250Z"), Span("d", "t2", "2026-01-01T11:30:01Z", "2026-01-01T11:30:02Z", kind: "retriever"));
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(retried)).Outcome);
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(retried)).Outcome);
        // One span twice in one batch of a new trace, the second moving it to another minute and kind.
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(
            Span("e", "t3", "2026-01-01T12:00:00Z", null),
            Span("e", "t3", "2026-01-01T12:01:30Z", "2026-01-01T12:01:31Z", kind: "agent", status: "error")))).Outcome);
        // Another project, same ids: its own rows.
        Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(Batch(Span("a", "t1", "2026-01-01T10:59:50Z", "2026-01-01T10:59:51Z")), project: "p2")).Outcome);

        await using var db = await host.Db();
        await RollupRecount.AssertMatchesSpansAsync(db);

        var query = host.Get<MetricRollupQuery>();
        var hour = await query.SummarizeAsync("p1", DateTimeOffset.Parse("2026-01-01T11:00:00Z"), DateTimeOffset.Parse("2026-01-01T12:00:00Z"));
        Assert.Equal(2, hour.SpanCount); // c and d (a and b started before 11:00)
        var all = await query.SummarizeAsync("p1", DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-02T00:00:00Z"));
        Assert.Equal(5, all.SpanCount);
        Assert.Equal(2, all.ErrorCount);
        Assert.Equal(0.5 + 3 * 0.00123, all.CostUsd, 9);
        var llm = await query.SummarizeAsync("p1", DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-02T00:00:00Z"), kind: "llm", model: "gpt-4o-mini");
        Assert.Equal(1, llm.SpanCount);
        Assert.Equal(20_000, llm.LatencyQuantileMs(0.5)!.Value, 20_000 * LatencySketch.RelativeAccuracy);
    }

    [Fact]
    public async Task Two_writers_resending_the_same_spans_keep_rollups_exact()
    {
        await using var a = await CoreTestHost.StartAsync();
        await using var b = await CoreTestHost.StartAsync(createProject: false, shared: a.Storage);
        Task<IngestResult> Send(CoreTestHost host, int batch, bool ended) =>
            host.IngestJsonAsync(Batch([.. Enumerable.Range(0, 20).Select(i => Span(
                $"s{batch}-{i}", $"t{batch % 4}", $"2026-01-01T{10 + i % 3:00}:{batch:00}:{i:00}Z", ended ? $"2026-01-01T{10 + i % 3:00}:{batch:00}:{i:00}.{100 + batch * 7 + i:000}Z" : null,
                kind: i % 4 == 0 ? "tool" : "llm", status: ended && i % 5 == 0 ? "error" : "ok", model: $"m{i % 3}",
                inTokens: ended ? i : null, outTokens: ended ? 2 * i : null, cost: ended ? i * 0.001 : null))]));
        // Every span is sent started and ended, by both writers, interleaved.
        var sends = Enumerable.Range(0, 30).SelectMany(i => new[] { Send(a, i, false), Send(b, i, true), Send(b, i, false), Send(a, i, true) }).ToList();
        foreach (var r in await Task.WhenAll(sends)) Assert.Equal(IngestOutcome.Accepted, r.Outcome);
        await using var db = await a.Db();
        await RollupRecount.AssertMatchesSpansAsync(db);
    }
}
