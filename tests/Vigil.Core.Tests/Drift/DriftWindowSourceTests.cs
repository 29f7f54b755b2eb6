using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests.Drift;

/// <summary>The provider's drift window source (SQLite or PostgreSQL, whichever this run uses).</summary>
public class DriftWindowSourceTests
{
    [Theory]
    [InlineData(DriftGroupBy.Kind, 2)]
    [InlineData(DriftGroupBy.Kind, 3)]
    [InlineData(DriftGroupBy.KindName, 2)]
    [InlineData(DriftGroupBy.KindModel, 4)]
    public async Task Parallel_slices_read_what_one_reader_reads_in_the_same_order(DriftGroupBy groupBy, int parallelism)
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        var spans = DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm", "tool"], ["llm"]);
        spans.Add(new DriftSeed.SeedSpan("agent", DriftHost.Now.AddMinutes(-10), 5, Status: "error"));
        spans.Add(new DriftSeed.SeedSpan("agent", DriftHost.Now.AddHours(-3), 7, Status: "error"));
        await DriftSeed.IngestAsync(host, spans);
        await using (var db = await host.Db())
            // A kind outside SpanKind.All (ingest rejects them, older rows may not) is read as its text.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO spans (trace_pk, project_id, trace_id, span_id, name, kind, status, start_time_us, duration_ms) " +
                "SELECT trace_pk, project_id, trace_id, 'odd', 'odd-op', 'mystery', 'error', start_time_us + 1, 42 FROM spans WHERE kind = 'tool' ORDER BY start_time_us LIMIT 1");
        var now = UnixMicros.From(DriftHost.Now);
        var currentStart = UnixMicros.From(DriftHost.Now.AddHours(-1));
        var baselineStart = UnixMicros.From(DriftHost.Now.AddHours(-25));
        var source = host.Get<IDriftWindowSource>();

        var (baseline, current) = await source.ReadWindowsAsync("p1", baselineStart, currentStart, now, groupBy, parallelism, default);
        var (expectedBaseline, expectedCurrent) = await source.ReadWindowsAsync("p1", baselineStart, currentStart, now, groupBy, 1, default);

        DriftWindowReaderTests.AssertSame(expectedBaseline, baseline);
        DriftWindowReaderTests.AssertSame(expectedCurrent, current);
        Assert.Equal(70, baseline.Concat(current).Where(kv => kv.Key.Kind == "llm").Sum(kv => kv.Value.Total));
        Assert.Equal(2, baseline.Concat(current).Where(kv => kv.Key.Kind == "agent").Sum(kv => kv.Value.Errors));
        var mystery = baseline.Single(kv => kv.Key.Kind == "mystery").Value;
        Assert.Equal((1, 1, 42.0), (mystery.Total, mystery.Errors, Assert.Single(mystery.Latency)));
        if (groupBy == DriftGroupBy.KindName) Assert.Contains(baseline.Keys, k => k.Name == "odd-op");
        if (groupBy == DriftGroupBy.KindModel) Assert.Equal("test-model", baseline.Keys.Single(k => k.Kind == "llm").Model);
    }

    [Fact]
    public async Task A_cancelled_read_throws_instead_of_returning_partial_windows()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm"], []));
        var now = UnixMicros.From(DriftHost.Now);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Get<IDriftWindowSource>().ReadWindowsAsync("p1",
            now - 25 * 3_600_000_000L, now - 3_600_000_000L, now, DriftGroupBy.Kind, 2, new CancellationToken(canceled: true)));
    }
}
