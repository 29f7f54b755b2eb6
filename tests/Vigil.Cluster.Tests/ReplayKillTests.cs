using System.Net;
using System.Text.Json;
using Npgsql;
using Vigil.Tests.Fakes;

namespace Vigil.Tests.Cluster;

/// <summary>
/// Two Vigil processes; the one that claimed a replay is killed while its first provider call hangs. The other takes the
/// run over when the lease (3 s here) runs out: it fails it with a clear error (default), or runs it again from the
/// start (MaxAttempts 2). Never stuck, never run by two instances at once, never stored twice.
/// </summary>
public class ReplayKillTests
{
    [Fact]
    public async Task By_default_the_run_of_a_killed_instance_is_failed_with_a_clear_error_and_not_run_again()
    {
        await using var cluster = await KillCluster.StartAsync(maxAttempts: 1);
        var (runId, survivor) = await cluster.KillTheRunnerAsync();

        var run = await cluster.WaitForEndAsync(survivor, runId);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("stopped renewing its claim", run.GetProperty("error_message").GetString());
        cluster.Fake.Release();
        await Task.Delay(1500);
        // The killed instance's one call, and no other: nothing re-ran it.
        Assert.Single(cluster.Fake.OpenAiRequests);
        Assert.Equal((1, 0L), await cluster.AttemptsAndResultTracesAsync(runId));
    }

    [Fact]
    public async Task With_attempts_left_the_other_instance_runs_it_again_once_and_stores_one_result()
    {
        await using var cluster = await KillCluster.StartAsync(maxAttempts: 2);
        var (runId, survivor) = await cluster.KillTheRunnerAsync();
        cluster.Fake.Release();

        var run = await cluster.WaitForEndAsync(survivor, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("llm_spans_count").GetInt32());
        // The dead attempt's first call, then the survivor's three.
        Assert.Equal(4, cluster.Fake.OpenAiRequests.Count());
        Assert.Equal((2, 1L), await cluster.AttemptsAndResultTracesAsync(runId));
    }

    private sealed class KillCluster : IAsyncDisposable
    {
        private const string Trace = "kill-trace";
        private TestStorage _storage = null!;
        private RedisServer _redis = null!;
        private readonly List<VigilProcess> _nodes = [];

        public FakeLlmServer Fake { get; private set; } = null!;

        public static async Task<KillCluster> StartAsync(int maxAttempts)
        {
            var c = new KillCluster { _storage = TestStorage.CreatePostgres("vigil-cluster-kill") };
            c._redis = await RedisServer.StartNewAsync();
            c.Fake = await FakeLlmServer.StartAsync();
            var settings = new Dictionary<string, string?>(c._storage.Settings)
            {
                ["Vigil:Redis:ConnectionString"] = c._redis.ConnectionString,
                ["Vigil:Init:ProjectId"] = ClusterNode.ProjectId,
                ["Vigil:Init:ApiKey"] = ClusterNode.ApiKey,
                ["Vigil:Replay:OpenAI:BaseUrl"] = c.Fake.OpenAiBaseUrl,
                ["Vigil:Replay:OpenAI:ApiKey"] = "sk-kill-test",
                ["Vigil:Replay:MaxRetries"] = "0",
                ["Vigil:Replay:TimeoutSeconds"] = "60",
                ["Vigil:Replay:LeaseSeconds"] = "3",
                ["Vigil:Replay:PollSeconds"] = "0.5",
                ["Vigil:Replay:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            c._nodes.Add(await VigilProcess.StartAsync(settings));
            c._nodes.Add(await VigilProcess.StartAsync(settings));
            return c;
        }

        /// <summary>Confirms a replay on the first process, waits for its first call, kills whichever process claimed it.</summary>
        public async Task<(string RunId, VigilProcess Survivor)> KillTheRunnerAsync()
        {
            using var first = _nodes[0].Client();
            Assert.Equal(HttpStatusCode.Created, (await first.PostTracesAsync(Http.LlmTrace(Trace, 3))).StatusCode);
            var estimate = await (await first.PostAsync($"/v1/traces/{Trace}/replay",
                Http.Json("""{"mutations":{"llm1":{"model":"gpt-4o-block"}}}"""))).JsonAsync();
            var runId = estimate.GetProperty("replay_run_id").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await first.PostAsync($"/v1/traces/{Trace}/replay/{runId}/confirm", null)).StatusCode);
            await Fake.BlockedRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var owner = await ScalarAsync<string>("SELECT lease_owner FROM replay_runs WHERE id = @id", runId);
            var runner = _nodes.Single(n => owner.Split('/')[1] == n.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            runner.Kill();
            return (runId, _nodes.Single(n => n != runner));
        }

        public async Task<JsonElement> WaitForEndAsync(VigilProcess node, string runId)
        {
            using var client = node.Client();
            JsonElement run = default;
            // Lease (3 s) + a poll + the run itself: never stuck means it ends.
            await Http.UntilAsync(async () =>
            {
                run = await client.GetJsonAsync($"/v1/traces/{Trace}/replay/{runId}");
                return run.GetProperty("status").GetString() is "completed" or "failed" or "cancelled";
            }, TimeSpan.FromSeconds(60), "the killed instance's replay ending on the survivor");
            return run;
        }

        public async Task<(int Attempts, long ResultTraces)> AttemptsAndResultTracesAsync(string runId) =>
            (await ScalarAsync<int>("SELECT attempts FROM replay_runs WHERE id = @id", runId),
             await ScalarAsync<long>("SELECT count(*) FROM traces WHERE replay_of = @id", Trace));

        private async Task<T> ScalarAsync<T>(string sql, string id)
        {
            await using var connection = new NpgsqlConnection(_storage.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.AddWithValue("id", id);
            return (T)(await cmd.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var n in _nodes) await n.DisposeAsync();
            await Fake.DisposeAsync();
            await _redis.DisposeAsync();
            await _storage.DisposeAsync();
        }
    }
}
