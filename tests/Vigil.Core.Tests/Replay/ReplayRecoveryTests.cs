using System.Text.Json.Nodes;
using Vigil.Core.Replay;

namespace Vigil.Core.Tests.Replay;

public class ReplayRecoveryTests
{
    [Fact]
    public async Task On_start_confirmed_runs_are_queued_again_and_interrupted_runs_fail()
    {
        string confirmedId = "", runningId = "";
        await using var host = await ReplayTestHost.StartAsync(beforeWorker: async h =>
        {
            await h.IngestJsonAsync(Fixtures.Read("native/python-sdk-openai.json"));
            var service = h.Get<ReplayService>();
            const string trace = "9f0c6f2e-0d1c-4a8e-9a51-6e7d2f3a0001";
            confirmedId = (await service.EstimateAsync("p1", trace, new JsonObject())).Value!.Run.Id;
            runningId = (await service.EstimateAsync("p1", trace, new JsonObject())).Value!.Run.Id;
            // As a previous process would have left them: one confirmed (queued in memory only), one mid-run.
            await using var db = await h.Db();
            (await db.ReplayRuns.FindAsync(confirmedId))!.Status = ReplayStatus.Confirmed;
            (await db.ReplayRuns.FindAsync(runningId))!.Status = ReplayStatus.Running;
            await db.SaveChangesAsync();
        });

        Assert.Equal(ReplayStatus.Completed, (await host.WaitForEndAsync(confirmedId)).Status);
        var interrupted = await host.WaitForEndAsync(runningId);
        Assert.Equal(ReplayStatus.Failed, interrupted.Status);
        Assert.Contains("restart", interrupted.ErrorMessage);
    }
}
