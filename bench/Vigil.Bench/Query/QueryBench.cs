using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Live;
using Vigil.Core.Projects;
using Vigil.Core.Storage;
using Vigil.Core.Traces;

namespace Vigil.Bench.Query;

/// <summary>
/// The trace explorer's first-page queries at scale: seeds N traces (default 100,000) into a fresh temp SQLite file with the
/// real schema (migrations), then times <see cref="TraceQueryService.ListAsync"/> server side, p50/p95 over R runs.
/// Usage: <c>query [--traces 100000] [--runs 20] [--keep]</c>.
/// </summary>
public static class QueryBench
{
    private const string ProjectId = "bench";
    private static readonly string[] Names = ["support-agent", "rag-query", "summarize", "classify-ticket", "code-review", "sql-agent", "translate", "extract-entities"];
    private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022"];

    public static async Task<int> RunAsync(string[] args)
    {
        var traces = IntArg(args, "--traces", 100_000);
        var runs = IntArg(args, "--runs", 20);
        var keep = args.Contains("--keep");
        var dir = Path.Combine(Path.GetTempPath(), "vigil-bench-query-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var connectionString = $"Data Source={Path.Combine(dir, "vigil.db")}";
        try
        {
            var factory = new BenchDbFactory(connectionString);
            await using (var db = factory.CreateDbContext())
            {
                await db.Database.MigrateAsync();
                db.Projects.Add(new Project { Id = ProjectId, Name = ProjectId });
                await db.SaveChangesAsync();
            }

            var sw = Stopwatch.StartNew();
            await SeedAsync(connectionString, traces);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {traces:N0} traces in {sw.Elapsed.TotalSeconds:0.0} s ({traces / sw.Elapsed.TotalSeconds:N0} rows/s)"));
            await using (var db = factory.CreateDbContext())
                await db.Database.ExecuteSqlRawAsync("ANALYZE;"); // what a long-running server's optimizer would know

            var service = new TraceQueryService(factory, new Vigil.Core.Storage.Sqlite.SqliteTraceSearch(), new WriteGate(1), new LiveFeed(NullLogger<LiveFeed>.Instance), TimeProvider.System);
            (string Label, TraceQuery Query)[] scenarios =
            [
                ("newest first (default)", new TraceQuery()),
                ("sort by cost (desc)", new TraceQuery { Sort = TraceSort.Cost }),
                ("sort by duration (desc)", new TraceQuery { Sort = TraceSort.Duration }),
                ("sort by tokens (desc)", new TraceQuery { Sort = TraceSort.Tokens }),
                ("name contains 'agent'", new TraceQuery { Name = "agent" }),
                ("status = error", new TraceQuery { Status = SpanStatus.Error }),
                ("last 24 h", new TraceQuery { StartDate = DateTimeOffset.UtcNow.AddHours(-24) }),
                ("page 100 (offset 4,950)", new TraceQuery { Offset = 4_950 }),
            ];

            Console.WriteLine();
            Console.WriteLine($"| query (first page, 50 rows, with total count) | p50 ms | p95 ms | total |");
            Console.WriteLine($"|---|---:|---:|---:|");
            foreach (var (label, query) in scenarios)
            {
                await service.ListAsync(ProjectId, query); // warm-up: JIT, query compilation, page cache
                var times = new List<double>(runs);
                long total = 0;
                for (var i = 0; i < runs; i++)
                {
                    var t = Stopwatch.StartNew();
                    var page = await service.ListAsync(ProjectId, query);
                    times.Add(t.Elapsed.TotalMilliseconds);
                    total = page.Total;
                }
                times.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {Percentile(times, 0.50):0.0} | {Percentile(times, 0.95):0.0} | {total:N0} |"));
            }
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (!keep) Directory.Delete(dir, recursive: true);
            else Console.WriteLine($"kept {dir}");
        }
    }

    /// <summary>Raw prepared inserts in one transaction: EF's one-INSERT-per-entity would dominate the run (see TOOLCHAIN.md).</summary>
    private static async Task SeedAsync(string connectionString, int count)
    {
        await using var conn = new SqliteConnection(connectionString);
        await conn.OpenAsync();
        await using (var pragma = conn.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = (SqliteTransaction)tx;
        cmd.CommandText = """
            INSERT INTO traces (project_id, trace_id, name, name_explicit, status, status_explicit, external_id, start_time_us, end_time_us,
                                created_at_us, updated_at_us, span_count, error_count, input_tokens, output_tokens, cost_usd, duration_ms, models)
            VALUES ($p, $id, $name, 1, $status, 0, $ext, $start, $end, $start, $start, $spans, $errors, $in, $out, $cost, $dur, $models)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "$p", "$id", "$name", "$status", "$ext", "$start", "$end", "$spans", "$errors", "$in", "$out", "$cost", "$dur", "$models" })
            p[name] = cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        cmd.Prepare();

        // Deterministic, skewed like real traffic: most traces short and cheap, a long tail of slow and costly ones.
        var rng = new Random(42);
        var nowUs = UnixMicros.From(DateTimeOffset.UtcNow);
        var spanUs = 30L * 24 * 3600 * 1_000_000; // spread over 30 days
        for (var i = 0; i < count; i++)
        {
            var start = nowUs - spanUs + (long)((double)i / count * spanUs);
            var durationMs = Math.Round(50 + Math.Exp(rng.NextDouble() * 10), 1);
            var errors = rng.NextDouble() < 0.05 ? 1 + rng.Next(3) : 0;
            var inTokens = rng.Next(50, 8000);
            var outTokens = rng.Next(10, 1500);
            var model = Models[rng.Next(Models.Length)];
            p["$p"].Value = ProjectId;
            p["$id"].Value = $"trace-{i:D7}";
            p["$name"].Value = Names[rng.Next(Names.Length)];
            p["$status"].Value = errors > 0 ? "error" : "ok";
            p["$ext"].Value = rng.NextDouble() < 0.3 ? $"ext-{i}" : DBNull.Value;
            p["$start"].Value = start;
            p["$end"].Value = start + (long)(durationMs * 1000);
            p["$spans"].Value = rng.Next(1, 40);
            p["$errors"].Value = errors;
            p["$in"].Value = inTokens;
            p["$out"].Value = outTokens;
            p["$cost"].Value = Math.Round(inTokens * 2.5e-6 + outTokens * 1e-5, 6);
            p["$dur"].Value = durationMs;
            p["$models"].Value = model;
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
