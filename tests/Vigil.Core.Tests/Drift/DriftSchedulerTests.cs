using Vigil.Core.Drift;

namespace Vigil.Core.Tests.Drift;

public class DriftSchedulerTests
{
    [Fact]
    public async Task Runs_each_enabled_project_on_its_interval_with_the_injected_clock()
    {
        var (host, time) = await DriftHost.StartAsync();
        await using var _h = host;
        // The run will happen one interval (60 min) from now: seed relative to that instant.
        var runAt = DriftHost.Now.AddMinutes(60);
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(runAt, ["llm", "tool"], ["llm"]));
        var scheduler = host.Get<DriftScheduler>();
        var ran = new TaskCompletionSource<DriftRunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        scheduler.RunCompleted += r => ran.TrySetResult(r);
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            time.Advance(TimeSpan.FromMinutes(59));
            Assert.False(ran.Task.IsCompleted);

            time.Advance(TimeSpan.FromMinutes(1));
            var result = await ran.Task.WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal("p1", result.ProjectId);
            var alert = Assert.Single(result.Opened);
            Assert.Equal(("llm", "latency"), (alert.SpanKind, alert.Metric));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task After_a_restart_the_next_run_is_one_interval_after_the_last_stored_one()
    {
        var (host, time) = await DriftHost.StartAsync();
        await using var _h = host;
        await DriftSeed.IngestAsync(host, DriftSeed.SteadyWithSlowCurrent(DriftHost.Now, ["llm"], ["llm"]));
        await host.Get<DriftDetector>().RunAsync("p1"); // the "previous process" ran at Now
        time.Advance(TimeSpan.FromMinutes(50));
        var scheduler = host.Get<DriftScheduler>();
        var runs = 0;
        scheduler.RunCompleted += _ => Interlocked.Increment(ref runs);
        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.StopAsync(CancellationToken.None);

        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(0, runs);
        time.Advance(TimeSpan.FromMinutes(10));
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Disabled_projects_are_skipped()
    {
        var (host, time) = await DriftHost.StartAsync(new() { ["Vigil:Drift:IntervalMinutes"] = "5" });
        await using var _h = host;
        await host.Get<DriftSettingsService>().UpdateAsync("p1", false, 5, 24, 1, DriftBinning.Quantile, DriftGroupBy.Kind);
        var scheduler = host.Get<DriftScheduler>();
        var runs = 0;
        scheduler.RunCompleted += _ => Interlocked.Increment(ref runs);
        time.Advance(TimeSpan.FromMinutes(10));
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(0, runs);
    }
}
