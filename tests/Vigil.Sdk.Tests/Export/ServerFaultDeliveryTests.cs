using Microsoft.Data.Sqlite;
using Vigil.Sdk.Tests.Infrastructure;
using Vigil.Sdk.Tracing;
using Vigil.Tests;

namespace Vigil.Sdk.Tests.Export;

/// <summary>
/// The SDK against the real server as its own process: the server answers 503 (another writer holds its SQLite
/// database's lock, so ingest cannot write), then is killed (SIGKILL) mid-run and started again on the same port and
/// database. Every span the SDK queued within its bound arrives, once.
/// </summary>
public sealed class ServerFaultDeliveryTests : IAsyncDisposable
{
    private const string ApiKey = "vgl_sdk_fault_delivery_key_000001";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-sdk-fault-tests", Guid.NewGuid().ToString("N"));
    private readonly int _port = FakeVigilServer.FreePort();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ServerFaultDeliveryTests() => Directory.CreateDirectory(_dir);

    private string DbPath => Path.Combine(_dir, "vigil.db");

    private Dictionary<string, string> Environment() => new()
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_port}",
        ["ConnectionStrings__Vigil"] = $"Data Source={DbPath}",
        ["Vigil__Init__ProjectId"] = "sdk-faults",
        ["Vigil__Init__ApiKey"] = ApiKey,
        ["Vigil__RateLimits__Enabled"] = "false",
        ["Vigil__Drift__Enabled"] = "false",
        ["Vigil__Database__BusyTimeoutMs"] = "200",
    };

    private static List<string> Traces(VigilClient client, string prefix, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var trace = client.StartTrace($"{prefix}-{i}", input: new { i });
            ids.Add(trace.TraceId);
            using var step = client.StartSpan("step", SpanKind.Tool, new { i });
        }
        return ids;
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(20, timeout.Token).ConfigureAwait(false);
        Assert.True(condition(), what);
    }

    private long SpanRows(string sql)
    {
        using var db = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task Every_span_arrives_once_across_503s_and_a_server_killed_and_restarted_mid_run()
    {
        var first = await VigilProcess.StartAsync(Environment());
        VigilProcess? second = null;
        try
        {
            await using var client = new VigilClient(new VigilOptions
            {
                Endpoint = $"http://127.0.0.1:{_port}",
                ApiKey = ApiKey,
                ProjectId = "sdk-faults",
                BatchSize = 20,
                FlushInterval = TimeSpan.FromMilliseconds(50),
                MaxQueueSize = 5_000,
                MaxRetries = 1_000,
                RetryBaseDelay = TimeSpan.FromMilliseconds(100),
                RetryMaxDelay = TimeSpan.FromSeconds(1),
                Timeout = TimeSpan.FromSeconds(5),
            });
            var traces = Traces(client, "calm", 50);
            await client.ForceFlushAsync(Ct);
            Assert.Equal(100, client.Stats.Exported);

            // 503 + Retry-After while another writer holds the database.
            await using (var other = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
            {
                await other.OpenAsync(Ct);
                await using (var lockIt = other.CreateCommand())
                {
                    lockIt.CommandText = "BEGIN IMMEDIATE;";
                    await lockIt.ExecuteNonQueryAsync(Ct);
                }
                var retries = client.Stats.Retries;
                traces.AddRange(Traces(client, "locked", 50));
                await WaitUntil(() => client.Stats.Retries >= retries + 2, "the SDK met 503s and retried");
                Assert.Equal(100, client.Stats.Exported);
                await using var release = other.CreateCommand();
                release.CommandText = "ROLLBACK;";
                await release.ExecuteNonQueryAsync(Ct);
            }

            // Killed mid-run, spans keep coming, then the server comes back on the same port and database.
            traces.AddRange(Traces(client, "before-kill", 50));
            first.Kill();
            var down = client.Stats.Retries;
            traces.AddRange(Traces(client, "while-down", 50));
            await WaitUntil(() => client.Stats.Retries >= down + 2, "the SDK met a dead server and retried");
            second = await VigilProcess.StartAsync(Environment());
            traces.AddRange(Traces(client, "after-restart", 50));
            await client.ForceFlushAsync(Ct);

            var stats = client.Stats;
            Assert.Equal(500, stats.Enqueued);
            Assert.Equal(500, stats.Exported);
            Assert.Equal(0, stats.Dropped);
            Assert.Equal(0, stats.Rejected);
            Assert.Equal(0, stats.Queued);
            // Every span stored, none twice (a batch re-sent after a commit whose answer was lost lands on the same rows).
            Assert.Equal(500, SpanRows("SELECT count(*) FROM spans"));
            Assert.Equal(500, SpanRows("SELECT count(DISTINCT trace_id || '/' || span_id) FROM spans"));
            Assert.Equal(250, SpanRows("SELECT count(*) FROM traces"));
            Assert.Equal(traces.Count, traces.Distinct().Count());
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
