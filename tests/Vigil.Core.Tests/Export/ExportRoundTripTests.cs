using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Tests.Metrics;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Export;

/// <summary>
/// Export → re-import into a fresh Vigil: posting the JSONL lines as native batches reproduces every trace and span (all
/// fields but row ids and write times), the trace rollups, the metric rollups and the counts.
/// </summary>
public class ExportRoundTripTests
{
    [Fact]
    public async Task Jsonl_export_reposted_into_a_fresh_vigil_reproduces_traces_spans_and_rollups()
    {
        await using var source = await CoreTestHost.StartAsync();
        foreach (var fixture in new[] { "native/python-sdk-openai.json", "native/python-sdk-anthropic.json", "native/mixed-traces.json" })
            Assert.Equal(IngestOutcome.Accepted, (await source.IngestJsonAsync(Fixtures.Read(fixture))).Outcome);
        var otlp = OtlpMapper.Map(OtlpJsonReader.Read(Fixtures.Bytes("otlp/genai-events.json"), new IngestOptions()), new IngestOptions());
        Assert.Equal(IngestOutcome.Accepted, (await source.Get<IngestService>().IngestAsync("p1", otlp, IngestMode.DropInvalid)).Outcome);
        // Batch-level fields, a span sent at start and again at end, events, unicode, and a trace longer than one batch.
        Assert.Equal(IngestOutcome.Accepted, (await source.IngestJsonAsync("""
            {"spans":[{"span_id":"r1","trace_id":"resent","name":"root","kind":"agent","input":{"q":"Grüße, 世界 \"quoted\""},
                       "start_time":"2026-04-01T10:00:00.123456Z"}],
             "trace_name":"named explicitly","trace_metadata":{"env":"prod","n":[1,2.5,null]},"external_id":"ext-7"}
            """)).Outcome);
        Assert.Equal(IngestOutcome.Accepted, (await source.IngestJsonAsync("""
            {"spans":[{"span_id":"r1","trace_id":"resent","status":"error","output":{"a":"done"},"end_time":"2026-04-01T10:00:02.5Z",
                       "events":[{"name":"retry","timestamp":"2026-04-01T10:00:01Z","attributes":{"attempt":2}}],
                       "model":"gpt-4o-mini","usage":{"input_tokens":12,"output_tokens":7}},
                      {"span_id":"r2","trace_id":"resent","parent_span_id":"r1","name":"child","kind":"tool","start_time":"2026-04-01T10:00:01Z"}]}
            """)).Outcome);
        var long1 = new JsonArray();
        for (var i = 0; i < 1300; i++)
            long1.Add(new JsonObject
            {
                ["span_id"] = $"l{i}", ["trace_id"] = "long", ["parent_span_id"] = i == 0 ? null : "l0", ["name"] = $"step {i}", ["kind"] = "chain",
                ["start_time"] = DateTimeOffset.Parse("2026-04-02T00:00:00Z").AddMilliseconds(i * 7).ToString("O"),
                ["end_time"] = DateTimeOffset.Parse("2026-04-02T00:00:00Z").AddMilliseconds(i * 7 + 3).ToString("O"),
                ["cost_usd"] = 0.000123 * i,
            });
        foreach (var chunk in long1.Chunk(650))
            Assert.Equal(IngestOutcome.Accepted, (await source.IngestJsonAsync(new JsonObject { ["spans"] = new JsonArray([.. chunk.Select(s => s!.DeepClone())]) }.ToJsonString())).Outcome);

        using var jsonl = new MemoryStream();
        await source.Get<TraceExporter>().WriteJsonLinesAsync("p1", new TraceQuery(), jsonl);
        var lines = Encoding.UTF8.GetString(jsonl.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await using (var db = await source.Db()) Assert.Equal(await db.Traces.CountAsync() + 1, lines.Length); // "long" takes two lines

        await using var target = await CoreTestHost.StartAsync();
        foreach (var line in lines)
        {
            var result = await target.IngestJsonAsync(line);
            Assert.True(result.Outcome == IngestOutcome.Accepted, string.Join("; ", result.Errors.Select(e => e.ToString())) + " " + line[..Math.Min(300, line.Length)]);
        }

        await using var a = await source.Db();
        await using var b = await target.Db();
        Assert.Equal(await Traces(a), await Traces(b));
        Assert.Equal(await Spans(a), await Spans(b));
        Assert.Equal(await Rollups(a), await Rollups(b));
        await RollupRecount.AssertMatchesSpansAsync(b);
    }

    private static async Task<List<string>> Traces(Vigil.Core.Storage.VigilDbContext db) =>
        (await db.Traces.AsNoTracking().ToListAsync())
        .Select(t => $"{t.TraceId}|{t.Name}|{t.NameExplicit}|{t.Status}|{t.ExternalId}|{t.Metadata}|{t.StartTimeUs}|{t.EndTimeUs}|{t.DurationMs}|{t.SpanCount}|{t.ErrorCount}|{t.InputTokens}|{t.OutputTokens}|{t.CostUsd:R}|{t.Models}")
        .Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> Spans(Vigil.Core.Storage.VigilDbContext db) =>
        (await db.Spans.AsNoTracking().ToListAsync())
        .Select(s => $"{s.TraceId}|{s.SpanId}|{s.ParentSpanId}|{s.Name}|{s.Kind}|{s.Status}|{s.Input}|{s.Output}|{s.Metadata}|{s.Events}|{s.StartTimeUs}|{s.EndTimeUs}|{s.DurationMs}|{s.Model}|{s.Provider}|{s.InputTokens}|{s.OutputTokens}|{s.CostUsd:R}")
        .Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> Rollups(Vigil.Core.Storage.VigilDbContext db) =>
        (await db.MetricRollups.AsNoTracking().ToListAsync())
        .GroupBy(r => (r.BucketSeconds, r.BucketStartUs, r.Kind, r.Model))
        // PostgreSQL writer loops add into their own shard rows: a span re-sent through another loop can leave rows summing to 0.
        .Where(g => g.Sum(r => Math.Abs(r.SpanCount) + Math.Abs(r.LatencyCount)) > 0 && (g.Sum(r => r.SpanCount) != 0 || g.Sum(r => r.LatencyCount) != 0))
        .Select(g => $"{g.Key}|{g.Sum(r => r.SpanCount)}|{g.Sum(r => r.ErrorCount)}|{g.Sum(r => r.InputTokens)}|{g.Sum(r => r.OutputTokens)}|{g.Sum(r => r.CostNanoUsd)}|{g.Sum(r => r.LatencyCount)}|{g.Sum(r => r.LatencySumUs)}")
        .Order(StringComparer.Ordinal).ToList();
}
