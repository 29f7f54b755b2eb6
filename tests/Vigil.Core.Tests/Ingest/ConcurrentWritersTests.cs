using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;
using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Ingest;

/// <summary>
/// Two Vigil processes on one database (two hosts, each with its own writer pipeline) racing on the same traces: every
/// span is stored once and each trace's rollup equals what its stored spans add up to.
/// </summary>
public class ConcurrentWritersTests
{
    [Fact]
    public async Task Two_writers_racing_on_one_trace_leave_an_exact_rollup()
    {
        await using var a = await CoreTestHost.StartAsync();
        await using var b = await CoreTestHost.StartAsync(createProject: false, shared: a.Storage);

        // 2 × 40 batches of 25 spans into two traces both writers write, interleaved; spans 0-9 of each batch are sent by
        // both writers (idempotent upserts), so the same span also races.
        const int batches = 40, perBatch = 25;
        Task<IngestResult> Send(CoreTestHost host, string writer, int batch)
        {
            var spans = new JsonArray();
            for (var i = 0; i < perBatch; i++)
                spans.Add(new JsonObject
                {
                    ["span_id"] = i < 10 ? $"shared-{batch}-{i}" : $"{writer}-{batch}-{i}",
                    ["trace_id"] = i % 5 == 4 ? "race-2" : "race",
                    ["name"] = $"op-{i}",
                    ["kind"] = "llm",
                    ["status"] = i % 7 == 0 ? "error" : "ok",
                    ["model"] = $"m{i % 3}",
                    ["usage"] = new JsonObject { ["input_tokens"] = i + 1, ["output_tokens"] = 2 * i },
                    ["cost_usd"] = (i + 1) * 0.0001,
                    ["start_time"] = $"2026-01-01T00:{batch:00}:{i:00}Z",
                    ["end_time"] = i % 3 == 0 ? null : $"2026-01-01T00:{batch:00}:{i + 1:00}Z",
                });
            return host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString());
        }
        var sends = Enumerable.Range(0, batches).SelectMany(i => new[] { Send(a, "a", i), Send(b, "b", i) }).ToList();
        foreach (var r in await Task.WhenAll(sends)) Assert.Equal(IngestOutcome.Accepted, r.Outcome);

        await using var db = await a.Db();
        var spans = await db.Spans.AsNoTracking().ToListAsync();
        Assert.Equal(batches * (10 + 2 * (perBatch - 10)), spans.Count);
        foreach (var trace in await db.Traces.AsNoTracking().ToListAsync())
        {
            var mine = spans.Where(s => s.TracePk == trace.Id).ToList();
            Assert.Equal(mine.Count, trace.SpanCount);
            Assert.Equal(mine.Count(s => s.Status == SpanStatus.Error), trace.ErrorCount);
            Assert.Equal(mine.Sum(s => s.InputTokens ?? 0), trace.InputTokens);
            Assert.Equal(mine.Sum(s => s.OutputTokens ?? 0), trace.OutputTokens);
            Assert.Equal(mine.Sum(s => (decimal)(s.CostUsd ?? 0)), (decimal)trace.CostUsd, 10);
            Assert.Equal(mine.Min(s => s.StartTimeUs), trace.StartTimeUs);
            Assert.Equal(mine.Max(s => s.EndTimeUs), trace.EndTimeUs);
            Assert.Equal(string.Join(',', mine.Select(s => s.Model).Distinct().Order(StringComparer.Ordinal)), trace.Models);
            Assert.Equal(SpanStatus.Error, trace.Status);
        }
    }
}
