using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Bench.Ingest;
using Vigil.Core;
using Vigil.Core.Ingest;
using Vigil.Core.Projects;
using Vigil.Core.Sessions;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Bench.Sessions;

/// <summary>
/// The sessions and users lists at scale: ingests N spans of chat turns (default 1,000,000: 200k turns in conversations of
/// --turns 5, --sessions-per-user 10) through the real ingest service into a temp SQLite file or a new PostgreSQL
/// database (--provider postgres, --pg), so the rollup rows are the ones ingest keeps, then times the lists' first pages
/// (with their total counts) and a session's detail server side, p50/p95 over --runs runs.
/// </summary>
public static class SessionBench
{
    private const string ProjectId = "bench";

    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var total = a.Int("spans", 1_000_000);
        var turns = a.Int("turns", 5);
        var perUser = a.Int("sessions-per-user", 10);
        var runs = a.Int("runs", 50);
        var postgres = a.String("provider", "sqlite") == "postgres";
        var dir = Directory.CreateTempSubdirectory("vigil-bench-sessions-");
        var pgServer = a.String("pg", "Host=127.0.0.1;Username=vigil;Password=vigil");
        var pgDatabase = $"vigil_bench_{Guid.NewGuid():N}"[..30];
        if (postgres) await IngestInProcess.PgAdminAsync(pgServer, $"CREATE DATABASE {pgDatabase}");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Database:Provider"] = postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Vigil"] = postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(pgServer) { Database = pgDatabase }.ConnectionString
                : $"Data Source={Path.Combine(dir.FullName, "vigil.db")}",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVigilCore(config);
        var sp = services.BuildServiceProvider();
        try
        {
            var dbFactory = sp.GetRequiredService<IDbContextFactory<VigilDbContext>>();
            await using (var db = await dbFactory.CreateDbContextAsync()) await db.Database.MigrateAsync();
            await sp.GetRequiredService<ProjectService>().CreateAsync(ProjectId, ProjectId, null);

            var ingest = sp.GetRequiredService<IngestService>();
            var limits = new IngestOptions();
            var timings = sp.GetRequiredService<IngestWriterTimings>();
            var clock = Stopwatch.StartNew();
            // Two callers, so the writer groups batches as it does under traffic.
            var batches = ConversationGenerator.Batches(total, 100, turns, perUser, DateTime.UtcNow.AddDays(-7)).GetEnumerator();
            var gate = new object();
            await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    byte[] body;
                    lock (gate) { if (!batches.MoveNext()) return; body = batches.Current; }
                    var result = await ingest.IngestAsync(ProjectId, NativeBatchParser.Parse(body, limits));
                    if (result.Outcome != IngestOutcome.Accepted) throw new InvalidOperationException(result.Outcome + " " + string.Join("; ", result.Errors));
                }
            })));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ingested {total:N0} spans ({total / 5:N0} turns, {total / 5 / turns:N0} sessions, {total / 5 / turns / perUser:N0} users) on {(postgres ? "PostgreSQL" : "SQLite")} in {clock.Elapsed.TotalSeconds:0.0} s = {total / clock.Elapsed.TotalSeconds:N0} spans/s"));
            Console.WriteLine("writer, wall per span: " + string.Join(", ", IngestWriterTimings.Phases.Select((p, i) => $"{p} {timings[i].TotalMicroseconds / Math.Max(1, timings.Spans):N1} µs")));
            await using (var db = await dbFactory.CreateDbContextAsync())
                await db.Database.ExecuteSqlRawAsync(postgres ? "ANALYZE" : "ANALYZE;"); // what a long-running server's optimizer would know

            var sessions = sp.GetRequiredService<SessionQueryService>();
            var users = sp.GetRequiredService<EndUserQueryService>();
            var traces = sp.GetRequiredService<TraceQueryService>();
            var someSession = $"conversation-{total / 5 / turns / 2}";
            var someUser = $"user-{total / 5 / turns / perUser / 2}";
            (string Label, Func<Task<int>> Query)[] scenarios =
            [
                ("sessions: last activity (default)", async () => (await sessions.ListAsync(ProjectId, new SessionQuery())).Total),
                ("sessions: sort by cost", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { Sort = RollupSort.Cost })).Total),
                ("sessions: sort by tokens", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { Sort = RollupSort.Tokens })).Total),
                ("sessions: sort by trace count", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { Sort = RollupSort.Traces })).Total),
                ("sessions: with errors", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { HasErrors = true })).Total),
                ("sessions: of one user", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { UserId = someUser })).Total),
                ("sessions: last 24 h", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { StartDate = DateTimeOffset.UtcNow.AddDays(-1) })).Total),
                ("sessions: id contains '123'", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { Q = "123" })).Total),
                ("sessions: page 100", async () => (await sessions.ListAsync(ProjectId, new SessionQuery { Offset = 4_950 })).Total),
                ("users: last activity (default)", async () => (await users.ListAsync(ProjectId, new EndUserQuery())).Total),
                ("users: sort by cost", async () => (await users.ListAsync(ProjectId, new EndUserQuery { Sort = RollupSort.Cost })).Total),
                ("users: sort by sessions", async () => (await users.ListAsync(ProjectId, new EndUserQuery { Sort = RollupSort.Sessions })).Total),
                ("users: id contains '12'", async () => (await users.ListAsync(ProjectId, new EndUserQuery { Q = "12" })).Total),
                ("session detail (traces, oldest first)", async () => (await sessions.GetAsync(ProjectId, someSession))!.Traces.Count),
                ("session turns (conversation spans)", async () => (await sessions.TurnsAsync(ProjectId, someSession)).Count),
                ("user detail (50 recent sessions)", async () => (await users.GetAsync(ProjectId, someUser))!.Sessions.Count),
                ("traces: session_id filter", async () => (await traces.ListAsync(ProjectId, new TraceQuery { SessionId = someSession })).Total),
                ("traces: user_id filter", async () => (await traces.ListAsync(ProjectId, new TraceQuery { UserId = someUser })).Total),
            ];

            Console.WriteLine();
            Console.WriteLine("| query (first page of 50 with its total) | p50 ms | p95 ms | rows / total |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (label, query) in scenarios)
            {
                await query(); // warm-up: JIT, query compilation, page cache
                var times = new List<double>(runs);
                var count = 0;
                for (var i = 0; i < runs; i++)
                {
                    var t = Stopwatch.StartNew();
                    count = await query();
                    times.Add(t.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {Percentile(times, 0.50):0.0} | {Percentile(times, 0.95):0.0} | {count:N0} |"));
            }
            return 0;
        }
        finally
        {
            await sp.DisposeAsync();
            if (postgres)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await IngestInProcess.PgAdminAsync(pgServer, $"DROP DATABASE {pgDatabase} WITH (FORCE)");
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
