using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests.Drift;

public class DriftWindowReaderTests
{
    [Theory]
    [InlineData(DriftGroupBy.Kind)]
    [InlineData(DriftGroupBy.KindName)]
    [InlineData(DriftGroupBy.KindModel)]
    public async Task Native_and_ado_net_paths_read_the_same_samples(DriftGroupBy groupBy)
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

        var native = await DriftWindowReader.ReadAsync(db.Database.GetDbConnection(), "p1", from, to, groupBy, default);
        var ado = await DriftWindowReader.ReadAsync(db.Database.GetDbConnection(), "p1", from, to, groupBy, default, native: false);

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
}
