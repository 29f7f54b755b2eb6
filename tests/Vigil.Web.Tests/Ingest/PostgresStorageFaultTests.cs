using System.Net;
using Npgsql;
using Vigil.Tests;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>
/// PostgreSQL going away under the server and coming back read-only: every connection the server holds is terminated
/// (the database is down for it) and new ones open read-only (<c>default_transaction_read_only</c>, as on a standby).
/// Ingest answers 503 with Retry-After and keeps nothing, readiness says so, and once the database is writable again
/// the same batch goes in exactly once without a restart.
/// </summary>
public class PostgresStorageFaultTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private readonly HttpClient _client = factory.ClientWithKey();

    private static string Batch(string traceId) =>
        "{\"spans\":[" + string.Join(",", Enumerable.Range(0, 5).Select(i =>
            "{\"span_id\":\"s" + i + "\",\"trace_id\":\"" + traceId + "\",\"name\":\"step\",\"kind\":\"llm\",\"input\":{\"model\":\"gpt-4o\"}}")) + "]}";

    /// <summary>An unpooled session of the test's own (the server's pooled ones are terminated under it).</summary>
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(factory.Storage.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<long> SpanRowsAsync(string traceId)
    {
        await using var connection = await OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM spans WHERE trace_id = $1";
        cmd.Parameters.Add(new NpgsqlParameter { Value = traceId });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Sets the database read-only for new sessions (or back) and ends every other session on it, the server's included.</summary>
    private async Task ReadOnlyAsync(bool on)
    {
        await using var admin = await OpenAsync();
        var database = admin.Database;
        // This session may itself have opened read-only: it lifts that for itself first (each statement its own transaction).
        foreach (var sql in new[]
        {
            "SET default_transaction_read_only = off",
            $"ALTER DATABASE \"{database}\" SET default_transaction_read_only = {(on ? "on" : "off")}",
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()",
        })
        {
            await using var cmd = new NpgsqlCommand(sql, admin);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Sessions_terminated_and_a_read_only_database_answer_503_keep_nothing_and_recover()
    {
        Assert.SkipUnless(TestStorage.IsPostgres, "PostgreSQL's own faults; StorageFaultTests covers SQLite.");
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Batch("pg-before"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/ready")).StatusCode);

        await ReadOnlyAsync(true);
        try
        {
            // The first attempts may meet the server's terminated pooled connections ("cannot be reached"), later ones
            // the read-only database: every one is a 503 with Retry-After, none a 500, and nothing is stored.
            var kinds = new HashSet<string>();
            for (var i = 0; i < 6; i++)
            {
                var refused = await _client.PostTracesAsync(Batch("pg-during"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter?.Delta);
                kinds.Add((await refused.JsonAsync()).GetProperty("detail").GetString()!);
            }
            Assert.Contains(kinds, d => d.Contains("read-only"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await factory.CreateClient().GetAsync("/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health")).StatusCode);
        }
        finally
        {
            await ReadOnlyAsync(false);
        }
        Assert.Equal(0, await SpanRowsAsync("pg-during"));

        // Writable again: a client retrying as told gets the batch in, once (a retry may still meet a terminated connection).
        HttpResponseMessage accepted;
        var attempts = 0;
        do accepted = await _client.PostTracesAsync(Batch("pg-during"));
        while (accepted.StatusCode == HttpStatusCode.ServiceUnavailable && ++attempts < 10);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(5, await SpanRowsAsync("pg-during"));
        Assert.Equal(5, await SpanRowsAsync("pg-before"));

        HttpResponseMessage ready;
        attempts = 0;
        do ready = await factory.CreateClient().GetAsync("/ready");
        while (ready.StatusCode != HttpStatusCode.OK && ++attempts < 10);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
