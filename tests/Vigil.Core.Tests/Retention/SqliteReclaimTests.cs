using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Retention;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests.Retention;

/// <summary>On SQLite, deleted history gives its space back: incremental vacuum, converted once on an existing file.</summary>
[Trait("Provider", "Sqlite")]
public class SqliteReclaimTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Deleting_half_of_the_history_shrinks_the_file_by_at_least_a_third()
    {
        await using var host = await CoreTestHost.StartAsync(createProject: false, migrate: false, configure: (services, config) =>
        {
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            services.AddVigilRetention(config);
        });
        if (host.Storage.IsOnPostgres) return;
        // An existing file without auto-vacuum, as an older Vigil wrote it: converted once.
        await using (var db = await host.Db()) await db.Database.MigrateAsync();
        await host.Get<ProjectService>().CreateAsync("p1", "Project one", null);
        Assert.Equal(0, Pragma(host, "auto_vacuum"));
        await host.Get<IHistoryStore>().PrepareAsync(CancellationToken.None);
        Assert.Equal(2, Pragma(host, "auto_vacuum")); // INCREMENTAL

        var payload = new string('y', 1500);
        for (var batch = 0; batch < 20; batch++)
        {
            var spans = new JsonArray();
            for (var t = 0; t < 50; t++)
                for (var s = 0; s < 3; s++)
                    spans.Add(new JsonObject
                    {
                        ["trace_id"] = $"t{batch}-{t}", ["span_id"] = $"t{batch}-{t}-{s}", ["name"] = "step", ["kind"] = "llm", ["model"] = "gpt-4o",
                        ["input"] = new JsonObject { ["prompt"] = $"{payload} {batch} {t} {s}" }, ["output"] = new JsonObject { ["text"] = payload },
                        ["start_time"] = Now.AddDays(batch < 10 ? -40 : -1).AddSeconds(t).ToString("O"),
                        ["end_time"] = Now.AddDays(batch < 10 ? -40 : -1).AddSeconds(t + 1).ToString("O"),
                    });
            Assert.Equal(IngestOutcome.Accepted, (await host.IngestJsonAsync(new JsonObject { ["spans"] = spans }.ToJsonString())).Outcome);
        }
        var before = Size(host);

        var retention = host.Get<RetentionService>();
        await retention.SetAsync("p1", 30, null);
        Assert.Equal(new RetentionResult(500, 1500), await retention.RunAsync("p1"));

        var after = Size(host);
        Assert.True(after <= before * 2 / 3, $"{before:N0} → {after:N0} bytes");
        Assert.Equal(0, Pragma(host, "freelist_count"));
    }

    /// <summary>The main file after a checkpoint (the WAL holds pages until one runs).</summary>
    private static long Size(CoreTestHost host)
    {
        Pragma(host, "wal_checkpoint(TRUNCATE)");
        return new FileInfo(host.DbPath).Length;
    }

    private static long Pragma(CoreTestHost host, string pragma)
    {
        using var c = new SqliteConnection($"Data Source={host.DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA " + pragma;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
