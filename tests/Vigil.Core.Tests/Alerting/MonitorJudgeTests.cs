using Vigil.Core.Alerting.Monitors;

namespace Vigil.Core.Tests.Alerting;

public class MonitorJudgeTests
{
    private static AlertMonitor Monitor(string direction = "above", double? warning = 0.1, double? critical = 0.2, int? noData = null) => new()
    {
        ProjectId = "p1", Name = "m", Metric = direction == "above" ? MonitorMetric.ErrorRate : MonitorMetric.SpanCount, Direction = direction,
        Warning = warning, Critical = critical, NoDataMinutes = noData, WindowMinutes = 15,
    };

    [Theory]
    [InlineData(0.05, "ok")]
    [InlineData(0.1, "ok")] // at the level is not above it
    [InlineData(0.15, "warning")]
    [InlineData(0.2, "warning")]
    [InlineData(0.25, "critical")]
    public void Above_compares_strictly(double value, string expected) =>
        Assert.Equal(expected, MonitorJudge.Measure(Monitor(), new MonitorReading(value, 10)).State);

    [Theory]
    [InlineData(100, "ok")]
    [InlineData(40, "warning")]
    [InlineData(5, "critical")]
    public void Below_alerts_when_the_value_falls_under_the_levels(double value, string expected) =>
        Assert.Equal(expected, MonitorJudge.Measure(Monitor("below", warning: 50, critical: 10), new MonitorReading(value, 10)).State);

    [Fact]
    public void Only_a_critical_level_never_warns_and_nothing_to_measure_is_ok()
    {
        var m = Monitor(warning: null, critical: 0.5);
        Assert.Equal(MonitorState.Ok, MonitorJudge.Measure(m, new MonitorReading(0.4, 10)).State);
        Assert.Equal(MonitorState.Critical, MonitorJudge.Measure(m, new MonitorReading(0.6, 10)).State);
        Assert.Equal((MonitorState.Ok, (string?)null), MonitorJudge.Measure(m, new MonitorReading(null, 0)));
    }

    [Fact]
    public void No_data_is_critical_on_its_own_whatever_the_value()
    {
        var m = Monitor("below", warning: null, critical: null, noData: 10);
        Assert.Equal((MonitorState.Critical, MonitorReason.NoData), MonitorJudge.Measure(m, new MonitorReading(0, 0, NoData: true)));
        Assert.Equal(MonitorState.Ok, MonitorJudge.Measure(m, new MonitorReading(3, 3, NoData: false)).State);
    }

    [Fact]
    public void A_new_state_is_taken_only_after_it_held_for_the_hysteresis()
    {
        // ok, then critical measured twice with hysteresis 2: pending after the first, taken at the second.
        var t = MonitorJudge.Next("ok", null, 0, "critical", 2);
        Assert.Equal(("ok", "critical", 1, false), (t.State, t.Pending, t.PendingCount, t.Changed));
        t = MonitorJudge.Next(t.State, t.Pending, t.PendingCount, "critical", 2);
        Assert.Equal(("critical", null, 0, true), (t.State, t.Pending, t.PendingCount, t.Changed));
    }

    [Fact]
    public void A_blip_or_a_flip_between_pending_states_changes_nothing()
    {
        var t = MonitorJudge.Next("ok", null, 0, "warning", 2);
        t = MonitorJudge.Next(t.State, t.Pending, t.PendingCount, "ok", 2); // back to the current state: pending cleared
        Assert.Equal(("ok", null, 0, false), (t.State, t.Pending, t.PendingCount, t.Changed));
        t = MonitorJudge.Next("ok", null, 0, "warning", 2);
        t = MonitorJudge.Next(t.State, t.Pending, t.PendingCount, "critical", 2); // another state restarts the count
        Assert.Equal(("ok", "critical", 1, false), (t.State, t.Pending, t.PendingCount, t.Changed));
    }

    [Fact]
    public void Hysteresis_one_changes_at_once()
    {
        var t = MonitorJudge.Next("critical", null, 0, "ok", 1);
        Assert.True(t.Changed);
        Assert.Equal("ok", t.State);
    }

    /// <summary>Property: over any sequence of measured states, the state only ever changes to one measured N times in a row just before.</summary>
    [Fact]
    public void Every_change_follows_N_equal_measurements()
    {
        var rng = new Random(7);
        string[] states = ["ok", "warning", "critical"];
        for (var n = 1; n <= 4; n++)
        {
            var (state, pending, count) = ("ok", (string?)null, 0);
            var measured = new List<string>();
            for (var i = 0; i < 2000; i++)
            {
                var m = rng.NextDouble() < 0.5 ? state : states[rng.Next(3)];
                measured.Add(m);
                var t = MonitorJudge.Next(state, pending, count, m, n);
                if (t.Changed)
                {
                    Assert.NotEqual(state, t.State);
                    Assert.True(measured.Count >= n);
                    Assert.All(measured.TakeLast(n), x => Assert.Equal(t.State, x));
                }
                else Assert.Equal(state, t.State);
                (state, pending, count) = (t.State, t.Pending, t.PendingCount);
            }
        }
    }
}

public class QuantileTests
{
    /// <summary>Selection answers what sorting would, for any length, duplicates, sorted and reversed input.</summary>
    [Fact]
    public void Selection_matches_the_sorted_definition()
    {
        var rng = new Random(3);
        foreach (var n in new[] { 1, 2, 3, 10, 101, 1000, 4096 })
            foreach (var shape in new[] { "random", "duplicates", "sorted", "reversed" })
            {
                var values = shape switch
                {
                    "duplicates" => Enumerable.Range(0, n).Select(_ => (double)rng.Next(5)).ToArray(),
                    "sorted" => Enumerable.Range(0, n).Select(i => (double)i).ToArray(),
                    "reversed" => Enumerable.Range(0, n).Select(i => (double)(n - i)).ToArray(),
                    _ => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 1000).ToArray(),
                };
                var sorted = values.Order().ToArray();
                foreach (var q in new[] { 0.0, 0.5, 0.95, 0.99, 1.0 })
                    Assert.Equal(Vigil.Core.Drift.Psi.QuantileOfSorted(sorted, q), Quantile.Of(values, q), 9);
            }
    }
}
