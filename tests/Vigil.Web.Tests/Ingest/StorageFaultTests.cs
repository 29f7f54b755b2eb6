using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Core.Storage.Sqlite;
using Vigil.Web.Tests.Accounts;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>
/// When the database cannot take a write (full, locked, read-only): ingest answers 503 with Retry-After, nothing of the
/// batch is written, readiness says so, and everything recovers by itself once the fault clears. The faults are SQLite's
/// own (see <see cref="PostgresStorageFaultTests"/> for PostgreSQL).
/// </summary>
[Trait("Provider", "Sqlite")]
public class StorageFaultTests(StorageFaultFactory factory) : IClassFixture<StorageFaultFactory>
{
    private readonly HttpClient _client = factory.ClientWithKey();

    private static string Batch(string traceId, int spans = 20)
    {
        var items = Enumerable.Range(0, spans).Select(i =>
            "{\"span_id\":\"s" + i + "\",\"trace_id\":\"" + traceId + "\",\"name\":\"step\",\"input\":{\"blob\":\"" + new string('x', 2000) + "\"}}");
        return "{\"spans\":[" + string.Join(",", items) + "]}";
    }

    private async Task<int> SpanRowsAsync(string traceId)
    {
        await using var db = await factory.Get<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
        return await db.Spans.CountAsync(s => s.TraceId == traceId);
    }

    private static void AssertUnavailable(HttpResponseMessage response, int retryAfterSeconds)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_full_database_answers_503_keeps_nothing_reports_not_ready_and_recovers_by_itself()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Batch("before-full"))).StatusCode);
        factory.Switch.Current = FaultSwitch.Mode.Full;
        try
        {
            var refused = await _client.PostTracesAsync(Batch("while-full"));
            AssertUnavailable(refused, 10);
            Assert.Contains("full", (await refused.JsonAsync()).GetProperty("detail").GetString());
            Assert.Equal(0, await SpanRowsAsync("while-full"));

            var ready = await factory.CreateClient().GetAsync("/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("The database cannot take writes: the database is full (no space left).", (await ready.JsonAsync()).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health")).StatusCode);
        }
        finally
        {
            factory.Switch.Current = FaultSwitch.Mode.None;
        }

        // No request needed: readiness probes a write and finds the space back.
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Batch("while-full"))).StatusCode);
        Assert.Equal(20, await SpanRowsAsync("while-full"));
        Assert.Null(factory.Get<StorageHealth>().Fault);
    }

    [Fact]
    public async Task A_read_only_database_answers_OTLP_with_503_unavailable_and_recovers()
    {
        factory.Switch.Current = FaultSwitch.Mode.ReadOnly;
        HttpResponseMessage refused;
        try
        {
            refused = await _client.PostAsync("/v1/traces",
                OtlpHttp.Protobuf(OtlpHttp.Request(OtlpHttp.Span("5102030405060708090a0b0c0d0e0f10", "5102030405060708", "read-only"))));
            // Any other write refuses the same way, not with a 500.
            var project = await factory.ClientWithKey(AdminKeyFactory.AdminApiKey).PostAsJsonAsync("/v1/projects", new { id = "made-while-read-only" });
            AssertUnavailable(project, 10);
            Assert.Contains("read-only", (await project.JsonAsync()).GetProperty("detail").GetString());
            var ready = await factory.CreateClient().GetAsync("/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("read-only", (await ready.JsonAsync()).GetProperty("detail").GetString());
        }
        finally
        {
            factory.Switch.Current = FaultSwitch.Mode.None;
        }
        AssertUnavailable(refused, 10);
        // UNAVAILABLE: OTLP exporters retry it.
        Assert.Equal(14, Vigil.Core.Ingest.Otlp.Proto.Rpc.Status.Parser.ParseFrom(await refused.Content.ReadAsByteArrayAsync()).Code);
        Assert.Equal(0, await SpanRowsAsync("5102030405060708090a0b0c0d0e0f10"));

        var accepted = await _client.PostAsync("/v1/traces",
            OtlpHttp.Protobuf(OtlpHttp.Request(OtlpHttp.Span("5102030405060708090a0b0c0d0e0f10", "5102030405060708", "read-only"))));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, await SpanRowsAsync("5102030405060708090a0b0c0d0e0f10"));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/ready")).StatusCode);
    }

    [Fact]
    public async Task A_database_locked_by_another_writer_answers_503_with_a_short_Retry_After_and_recovers()
    {
        // Another process holds SQLite's write lock (longer than the server's 300 ms busy timeout).
        await using (var other = new SqliteConnection($"Data Source={factory.DbPath}"))
        {
            await other.OpenAsync();
            using (var lockIt = other.CreateCommand())
            {
                lockIt.CommandText = "BEGIN IMMEDIATE;";
                await lockIt.ExecuteNonQueryAsync();
            }
            // After the server's busy timeout, not after Microsoft.Data.Sqlite's 30 s of retries per statement on top of
            // it (which held the write gate, so this took 30–100 s before every SQLite connection got a short driver timeout).
            using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var refused = await _client.PostAsync("/v1/traces", Fixtures.Json(Batch("while-locked", 3)), soon.Token);
            AssertUnavailable(refused, 1);
            Assert.Contains("locked", (await refused.JsonAsync()).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await factory.CreateClient().GetAsync("/ready")).StatusCode);
            using var release = other.CreateCommand();
            release.CommandText = "ROLLBACK;";
            await release.ExecuteNonQueryAsync();
        }
        Assert.Equal(0, await SpanRowsAsync("while-locked"));
        Assert.Equal(HttpStatusCode.Created, (await _client.PostTracesAsync(Batch("while-locked", 3))).StatusCode);
        Assert.Equal(3, await SpanRowsAsync("while-locked"));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/ready")).StatusCode);
    }
}
