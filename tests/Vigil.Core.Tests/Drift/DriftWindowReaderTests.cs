using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;

namespace Vigil.Core.Tests.Drift;

[Trait("Provider", "Sqlite")]
public class DriftWindowReaderTests
{
    [Theory]
    [InlineData(DriftGroupBy.Kind)]
    [InlineData(DriftGroupBy.KindName)]
    [InlineData(DriftGroupBy.KindModel)]
    public async Task The_direct_reader_and_ado_net_read_the_same_samples(DriftGroupBy groupBy)
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        var spans = DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm", "tool"], ["llm"]);
        spans.Add(new DriftSeed.SeedSpan("agent", DriftHost.Now.AddMinutes(-10), 5, Status: "error"));
        await DriftSeed.IngestAsync(host, spans);
        await using var db = await host.Db();
        await db.Database.OpenConnectionAsync();
        var from = UnixMicros.From(DriftHost.Now.AddHours(-25));
        var to = UnixMicros.From(DriftHost.Now);

        // One slice, one reader: the whole range as the baseline, an empty current window.
        var (native, _) = await SqliteDriftWindowSource.ReadSlicedAsync(host.DbPath, "p1", from, to, to, groupBy, 1, 1000, default);
        var ado = SqliteDriftWindowSource.ReadOne((SqliteConnection)db.Database.GetDbConnection(), "p1", from, to, groupBy, default);

        Assert.Equal(native.Keys.OrderBy(k => k.ToString()), ado.Keys.OrderBy(k => k.ToString()));
        foreach (var (key, n) in native)
        {
            var a = ado[key];
            Assert.Equal((n.Total, n.Errors), (a.Total, a.Errors));
            Assert.Equal(n.Latency, a.Latency);
            Assert.Equal(n.Tokens, a.Tokens);
            Assert.Equal(n.Cost, a.Cost);
            Assert.Equal(n.OutputLength, a.OutputLength);
        }
        var llm = native.Single(kv => kv.Key.Kind == "llm").Value;
        Assert.Equal(70, llm.Total);
        Assert.Equal(70, llm.Tokens.Count);
        Assert.Equal(70, llm.OutputLength.Count);
        Assert.Equal(1, native.Single(kv => kv.Key.Kind == "agent").Value.Errors);
        Assert.Empty(native.Single(kv => kv.Key.Kind == "tool").Value.Tokens);
        if (groupBy == DriftGroupBy.KindName) Assert.All(native.Keys, k => Assert.Equal(k.Kind + "-op", k.Name));
        if (groupBy == DriftGroupBy.KindModel) Assert.Equal("test-model", native.Keys.Single(k => k.Kind == "llm").Model);
    }

    [Theory]
    [InlineData(DriftGroupBy.Kind, 1)]
    [InlineData(DriftGroupBy.Kind, 2)]
    [InlineData(DriftGroupBy.Kind, 3)]
    [InlineData(DriftGroupBy.KindName, 2)]
    [InlineData(DriftGroupBy.KindModel, 4)]
    public async Task Parallel_slices_read_what_one_query_per_window_reads_in_the_same_order(DriftGroupBy groupBy, int parallelism)
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        var spans = DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm", "tool"], ["llm"]);
        spans.Add(new DriftSeed.SeedSpan("agent", DriftHost.Now.AddMinutes(-10), 5, Status: "error"));
        spans.Add(new DriftSeed.SeedSpan("agent", DriftHost.Now.AddHours(-3), 7, Status: "error"));
        await DriftSeed.IngestAsync(host, spans);
        await using var db = await host.Db();
        await db.Database.OpenConnectionAsync();
        // A kind outside SpanKind.All (ingest rejects them, older rows may not) comes back as text, not as a code.
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO spans (trace_pk, project_id, trace_id, span_id, name, kind, status, start_time_us, duration_ms) " +
            "SELECT trace_pk, project_id, trace_id, 'odd', 'odd-op', 'mystery', 'error', start_time_us + 1, 42 FROM spans WHERE kind = 'tool' ORDER BY start_time_us LIMIT 1");
        var connection = db.Database.GetDbConnection();
        var now = UnixMicros.From(DriftHost.Now);
        var currentStart = UnixMicros.From(DriftHost.Now.AddHours(-1));
        var baselineStart = UnixMicros.From(DriftHost.Now.AddHours(-25));

        Assert.True(SqliteReadConnection.Available); // else this would only test the sequential fallback
        var (baseline, current) = await host.Get<IDriftWindowSource>().ReadWindowsAsync("p1", baselineStart, currentStart, now, groupBy, parallelism, default);
        var expectedBaseline = SqliteDriftWindowSource.ReadOne((SqliteConnection)connection, "p1", baselineStart, currentStart, groupBy, default);
        var expectedCurrent = SqliteDriftWindowSource.ReadOne((SqliteConnection)connection, "p1", currentStart, now, groupBy, default);

        AssertSame(expectedBaseline, baseline);
        AssertSame(expectedCurrent, current);
        Assert.Equal(2, baseline.Single(kv => kv.Key.Kind == "agent").Value.Total + current.Single(kv => kv.Key.Kind == "agent").Value.Total);
        var mystery = baseline.Single(kv => kv.Key.Kind == "mystery").Value;
        Assert.Equal((1, 1, 42.0), (mystery.Total, mystery.Errors, Assert.Single(mystery.Latency)));
    }

    internal static void AssertSame(Dictionary<DriftGroup, WindowSamples> expected, Dictionary<DriftGroup, WindowSamples> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k.ToString()), actual.Keys.OrderBy(k => k.ToString()));
        foreach (var (key, e) in expected)
        {
            var a = actual[key];
            Assert.Equal((e.Total, e.Errors), (a.Total, a.Errors));
            Assert.Equal(e.Latency, a.Latency); // same values in the same order: the edge sample and the sums depend on it
            Assert.Equal(e.Tokens, a.Tokens);
            Assert.Equal(e.Cost, a.Cost);
            Assert.Equal(e.OutputLength, a.OutputLength);
        }
    }
}
