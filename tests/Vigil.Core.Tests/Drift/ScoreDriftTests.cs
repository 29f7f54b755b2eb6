using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Drift;
using Vigil.Core.Scores;

namespace Vigil.Core.Tests.Drift;

/// <summary>Drift covers numeric scores per span group: a fall in a score raises an alert like latency does; a steady score none.</summary>
public class ScoreDriftTests
{
    /// <summary>60 baseline and 30 current llm turns, each with a helpfulness score (falling in the current hour), a steady score and a thumbs vote.</summary>
    private static async Task SeedAsync(CoreTestHost host)
    {
        var scores = host.Get<ScoreService>();
        var currentStart = DriftHost.Now.AddHours(-1);
        for (var i = 0; i < 90; i++)
        {
            var current = i >= 60;
            var at = current ? currentStart.AddMinutes((i - 60) * 1.5 + 0.5) : currentStart.AddHours(-24).AddMinutes(i * 20 + 1);
            var trace = $"turn-{i}";
            var json = string.Create(CultureInfo.InvariantCulture,
                $$"""{"spans":[{"span_id":"llm-{{i}}","trace_id":"{{trace}}","name":"answer","kind":"llm","model":"m","start_time":"{{at.UtcDateTime:O}}","end_time":"{{at.AddMilliseconds(100 + i % 10).UtcDateTime:O}}"}]}""");
            Assert.Empty((await host.IngestJsonAsync(json)).Errors);
            var helpfulness = current ? 0.2 + (i % 10) * 0.015 : 0.8 + (i % 10) * 0.015;
            await Add(scores, new ScoreInput { TraceId = trace, SpanId = "llm-" + i, Name = "helpfulness", Value = helpfulness, CreatedAt = at.AddSeconds(5) });
            await Add(scores, new ScoreInput { TraceId = trace, Name = "steady", Value = 0.5 + (i % 10) * 0.01, CreatedAt = at.AddSeconds(5) });
            await Add(scores, new ScoreInput { TraceId = trace, Name = "thumbs", Value = current ? i % 3 == 0 : i % 10 != 0, CreatedAt = at.AddSeconds(6) });
        }
        // A score of a trace that is not stored yet is left for a later run, and a category is no number.
        await Add(scores, new ScoreInput { TraceId = "not-yet", Name = "helpfulness", Value = 0.0, CreatedAt = DriftHost.Now.AddMinutes(-5) });
        await Add(scores, new ScoreInput { TraceId = "turn-70", Name = "topic", Value = "billing", CreatedAt = DriftHost.Now.AddMinutes(-5) });
    }

    private static async Task Add(ScoreService scores, ScoreInput input)
    {
        var (score, errors) = await scores.AddAsync("p1", input);
        Assert.True(score is not null, string.Join("; ", errors.Select(e => e.Key + ": " + e.Value[0])));
    }

    [Fact]
    public async Task A_falling_score_raises_a_high_alert_and_a_steady_one_none()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await SeedAsync(host);

        var run = await host.Get<DriftDetector>().RunAsync("p1");

        var helpfulness = Assert.Single(run!.Opened, a => a.Metric == DriftMetric.Score("helpfulness"));
        Assert.Equal(("llm", DriftSeverity.High), (helpfulness.SpanKind, helpfulness.Severity));
        Assert.Equal((60, 30), (helpfulness.BaselineCount, helpfulness.CurrentCount));
        Assert.True(helpfulness.CurrentValue < helpfulness.BaselineValue);
        var thumbs = Assert.Single(run.Opened, a => a.Metric == DriftMetric.Score("thumbs"));
        Assert.Equal("binary", DriftHistogram.Parse(thumbs.Histogram)!.Binning);
        Assert.DoesNotContain(run.Opened, a => a.Metric == DriftMetric.Score("steady"));
        Assert.DoesNotContain(run.Opened, a => a.Metric == DriftMetric.Latency);
        await using var db = await host.Db();
        var steady = await db.DriftMeasurements.SingleAsync(m => m.Metric == "score:steady");
        Assert.True(steady.PsiScore < 0.1, $"PSI {steady.PsiScore}");
    }

    [Fact]
    public async Task The_average_of_a_score_over_a_window_by_span_kind_name_and_model()
    {
        var (host, _) = await DriftHost.StartAsync();
        await using var _h = host;
        await SeedAsync(host);
        var stats = host.Get<ScoreStatsService>();
        var lastHour = (DriftHost.Now.AddHours(-1), DriftHost.Now);

        var all = await stats.AverageAsync("p1", "helpfulness", lastHour.Item1, lastHour.Item2);
        Assert.Equal(31, all.Count); // with the score of the trace not stored yet
        var llm = await stats.AverageAsync("p1", "helpfulness", lastHour.Item1, lastHour.Item2, spanKind: "llm", spanName: "answer", model: "m");
        Assert.Equal(30, llm.Count);
        Assert.Equal(Enumerable.Range(60, 30).Average(i => 0.2 + (i % 10) * 0.015), llm.Mean!.Value, 9);
        Assert.Equal(0, (await stats.AverageAsync("p1", "helpfulness", lastHour.Item1, lastHour.Item2, spanKind: "tool")).Count);
        var thumbs = await stats.AverageAsync("p1", "thumbs", lastHour.Item1, lastHour.Item2, spanKind: "llm"); // trace-level: the root span's group
        Assert.Equal(Enumerable.Range(60, 30).Count(i => i % 3 == 0) / 30.0, thumbs.Mean!.Value, 9);
        Assert.Null((await stats.AverageAsync("p1", "topic", lastHour.Item1, lastHour.Item2)).Mean);

        var series = await stats.SeriesAsync("p1", DriftHost.Now.AddHours(-25), DriftHost.Now, TimeSpan.FromHours(1));
        Assert.Equal(["helpfulness", "steady", "thumbs"], series.Select(s => s.Name));
        Assert.Equal(90 + 1, series[0].Points.Sum(p => p.Count));
    }
}
