using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Bench.Alerting;

/// <summary>
/// Times one evaluation of every monitor (what the scheduler does each minute) over a large span history in a temp
/// SQLite file: by default 100 monitors of one project over 10,000,000 spans spread evenly over 30 days (about 333k spans
/// in the last 24 h, the longest window). Monitors mix every metric, windows of 5 min to 24 h and filters (none, kind,
/// kind + model, kind + name, no data). Between evaluations the clock advances a minute, as the scheduler's would, and
/// that minute's spans are inserted (untimed), as ongoing ingest would. <c>--probe</c> first times plain LINQ reads of the
/// whole 24 h window (count, sum, rows, GROUP BY): what reading the window at every evaluation would cost.
/// Usage: monitors [spans] [--days 30] [--monitors 100] [--runs 6] [--db path] (seed that file once and reuse it).
/// </summary>
public static class MonitorBench
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Kinds = ["llm", "llm", "llm", "llm", "tool", "tool", "tool", "retriever", "chain", "agent"];
    private static readonly string[] Models = ["gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet"];
    private static readonly Dictionary<string, string[]> Names = new()
    {
        ["llm"] = ["chat", "summarize"], ["tool"] = ["search", "lookup", "calculator"], ["retriever"] = ["kb-search"], ["chain"] = ["pipeline"], ["agent"] = ["support-agent"],
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 && !args[0].StartsWith('-') ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var options = new Vigil.Bench.Ingest.BenchArgs(args);
        var days = double.Parse(options.String("days", "30"), CultureInfo.InvariantCulture);
        var monitorCount = options.Int("monitors", 100);
        var runs = options.Int("runs", 6);
        var reuse = options.String("db", "") is { Length: > 0 } path ? path : null;
        using var file = BenchFile.Open("vigil-monitor-bench", reuse);
        var (dbPath, seeded) = (file.Path, file.Seeded);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vigil"] = $"Data Source={dbPath}",
        }).Build();
        var time = new SteppingTime(Now);
        var services = new ServiceCollection().AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        services.AddVigilCore(config);
        services.AddVigilAlerting(config);
        await using var sp = services.BuildServiceProvider();
        var dbFactory = sp.GetRequiredService<IDbContextFactory<VigilDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
            await db.Database.MigrateAsync();

        var sw = Stopwatch.StartNew();
        if (seeded)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            // The previous call's monitors, and the minutes of "ongoing ingest" it appended after the seeded history.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM monitors; DELETE FROM alert_outbox; DELETE FROM notifications;");
            await db.Traces.Where(t => t.StartTimeUs >= UnixMicros.From(Now)).ExecuteDeleteAsync();
            Console.WriteLine($"reusing {dbPath} ({new FileInfo(dbPath).Length / 1024 / 1024} MiB)");
        }
        else
        {
            await sp.GetRequiredService<ProjectService>().CreateAsync("bench", "Bench", null);
            Seed(dbPath, count, days);
            Console.WriteLine($"seeded {count:N0} spans over {days} days in {sw.Elapsed.TotalSeconds:0} s ({new FileInfo(dbPath).Length / 1024 / 1024} MiB)");
        }
        await CreateMonitorsAsync(sp.GetRequiredService<MonitorService>(), monitorCount);

        var nowUs = UnixMicros.From(Now);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var total = await db.Spans.LongCountAsync();
            var lastDay = await db.Spans.LongCountAsync(s => s.ProjectId == "bench" && s.StartTimeUs >= nowUs - 86_400_000_000L && s.StartTimeUs < nowUs);
            Console.WriteLine($"history: {total:N0} spans; in the longest window (24 h): {lastDay:N0}; monitors: {monitorCount}");
        }

        if (args.Contains("--probe")) await ProbeAsync(dbFactory, nowUs);
        var evaluator = sp.GetRequiredService<MonitorEvaluator>();
        var (walls, cpus) = (new List<double>(), new List<double>());
        var perMinute = Math.Max(1, (long)(count / (days * 1440)));
        var ingestRng = new Random(7);
        for (var run = 1; run <= runs; run++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            // The minute's new spans, as ingest would have written them (not timed).
            IngestMinute(dbPath, count + (run - 1) * perMinute, perMinute, UnixMicros.Now(time), ingestRng);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (gcs, pause) = (GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2), GC.GetTotalPauseDuration());
            sw.Restart();
            var result = await evaluator.EvaluateAsync();
            var wall = sw.Elapsed.TotalMilliseconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {wall:0} ms wall ({result.ReadMs:0} ms reading), {cpuMs:0} ms CPU, {GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcs} GCs ({(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms paused), {result.Monitors} monitors, {result.Changes.Count} state changes"));
            walls.Add(wall);
            cpus.Add(cpuMs);
        }
        if (runs > 2)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"runs 2-{runs}: wall min {walls.Skip(1).Min():0} median {BenchStats.Median(walls.Skip(1)):0} ms, CPU min {cpus.Skip(1).Min():0} median {BenchStats.Median(cpus.Skip(1)):0} ms; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var states = await db.Monitors.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Console.WriteLine("monitor states: " + string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Count}")));
        }
        return 0;
    }

    private static async Task ProbeAsync(IDbContextFactory<VigilDbContext> dbFactory, long nowUs)
    {
        var fromUs = nowUs - 86_400_000_000L;
        for (var round = 0; round < 2; round++)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var q = db.Spans.AsNoTracking().Where(s => s.ProjectId == "bench" && s.StartTimeUs >= fromUs && s.StartTimeUs < nowUs);
            var sw = Stopwatch.StartNew();
            var n = await q.LongCountAsync();
            var tCount = sw.Elapsed.TotalMilliseconds; sw.Restart();
            var sum = await q.SumAsync(s => s.DurationMs ?? 0);
            var tSum = sw.Elapsed.TotalMilliseconds; sw.Restart();
            var nums = await q.OrderBy(s => s.StartTimeUs).Select(s => new { s.StartTimeUs, s.DurationMs }).ToListAsync();
            var tNums = sw.Elapsed.TotalMilliseconds; sw.Restart();
            var rows = await q.OrderBy(s => s.StartTimeUs).Select(s => new { s.StartTimeUs, s.Kind, s.Name, s.Model, Err = s.Status == "error", s.DurationMs, T = (s.InputTokens ?? 0) + (s.OutputTokens ?? 0), C = s.CostUsd ?? 0 }).ToListAsync();
            var tRows = sw.Elapsed.TotalMilliseconds; sw.Restart();
            var groups = await q.GroupBy(s => new { M = s.StartTimeUs / 60_000_000, s.Kind, s.Name, s.Model })
                .Select(g => new { g.Key.M, g.Key.Kind, g.Key.Name, g.Key.Model, N = g.Count(), E = g.Count(s => s.Status == "error"), T = g.Sum(s => (s.InputTokens ?? 0) + (s.OutputTokens ?? 0)), C = g.Sum(s => s.CostUsd ?? 0) })
                .ToListAsync();
            var tGroups = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"probe: count {n} {tCount:0} ms; sum {tSum:0} ms; 2 numeric cols {nums.Count} {tNums:0} ms; full rows {rows.Count} {tRows:0} ms; group by minute/kind/name/model {groups.Count} groups {tGroups:0} ms ({sum:0})"));
        }
    }

    /// <summary>Every metric, window (5 min – 24 h) and kind of filter, round robin.</summary>
    private static async Task CreateMonitorsAsync(MonitorService service, int count)
    {
        string[] metrics = [MonitorMetric.ErrorRate, MonitorMetric.LatencyP50, MonitorMetric.LatencyP95, MonitorMetric.LatencyP99,
            MonitorMetric.CostPerHour, MonitorMetric.TokensPerHour, MonitorMetric.SpanCount];
        int[] windows = [5, 15, 60, 240, 1440];
        string[] kinds = ["llm", "tool", "retriever", "chain", "agent"];
        for (var i = 0; i < count; i++)
        {
            var metric = metrics[i % metrics.Length];
            var kind = kinds[i / 3 % kinds.Length];
            (string? kindFilter, string? name, string? model) = (i % 4) switch
            {
                0 => ((string?)null, (string?)null, (string?)null),
                1 => (kind, null, null),
                2 => ("llm", null, Models[i % Models.Length]),
                _ => (kind, Names[kind][i % Names[kind].Length], null),
            };
            var (warning, critical, direction) = metric switch
            {
                MonitorMetric.ErrorRate => (0.04, 0.1, MonitorDirection.Above),
                MonitorMetric.CostPerHour => (0.5, 2.0, MonitorDirection.Above),
                MonitorMetric.TokensPerHour => (200_000.0, 1_000_000.0, MonitorDirection.Above),
                MonitorMetric.SpanCount => (10.0, 1.0, MonitorDirection.Below),
                _ => (2000.0, 5000.0, MonitorDirection.Above),
            };
            var input = new MonitorInput($"monitor {i}", metric, windows[i % windows.Length], warning, critical, direction, kindFilter, name, model,
                NoDataMinutes: metric == MonitorMetric.SpanCount && i % 2 == 0 ? 10 : null);
            var outcome = await service.CreateAsync("bench", input);
            if (outcome.Value is null) throw new InvalidOperationException($"monitor {i}: {string.Join("; ", outcome.Errors!.Select(e => e.Key + " " + string.Join(" ", e.Value)))}");
        }
    }

    /// <summary>Prepared INSERTs, committed every 500k spans (so the WAL checkpoints as it goes), then a full checkpoint.</summary>
    private static void Seed(string dbPath, long count, double days)
    {
        var nowUs = UnixMicros.From(Now);
        var firstUs = nowUs - (long)(days * 86_400_000_000L);
        Write(dbPath, 0, count, i => firstUs + (long)((double)i / count * (nowUs - firstUs)), new Random(42));
        using var conn = new SqliteConnection($"Data Source={dbPath}");
        conn.Open();
        using var checkpoint = conn.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        checkpoint.ExecuteNonQuery();
    }

    /// <summary>Ingest goes on while monitors are evaluated: the minute before <paramref name="nowUs"/> gets its spans.</summary>
    private static void IngestMinute(string dbPath, long firstIndex, long perMinute, long nowUs, Random rng) =>
        Write(dbPath, firstIndex, perMinute, i => nowUs - 60_000_000L + (i - firstIndex) * 60_000_000L / perMinute, rng);

    private static void Write(string dbPath, long firstIndex, long count, Func<long, long> startOf, Random rng)
    {
        using var conn = new SqliteConnection($"Data Source={dbPath}");
        conn.Open();
        using (var pragma = conn.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        var recentUs = UnixMicros.From(Now) - 2 * 3_600_000_000L;
        const int spansPerTrace = 10;
        SqliteTransaction? tx = null;
        SqliteCommand? trace = null, span = null;
        long pk = 0;
        for (var i = firstIndex; i < firstIndex + count; i++)
        {
            if ((i - firstIndex) % 500_000 == 0)
            {
                tx?.Commit();
                tx?.Dispose();
                tx = conn.BeginTransaction();
                trace?.Dispose();
                span?.Dispose();
                (trace, span) = Prepare(conn, tx);
            }
            var startUs = startOf(i);
            if (i % spansPerTrace == 0 || i == firstIndex)
            {
                trace!.Parameters["$t"].Value = $"trace-{firstIndex}-{i / spansPerTrace}";
                trace.Parameters["$s"].Value = startUs;
                pk = (long)trace.ExecuteScalar()!;
            }
            var kind = Kinds[i % Kinds.Length];
            var llm = kind == "llm";
            var ms = Math.Exp(rng.NextDouble() * 1.5 + (llm ? 6 : 3) + BenchStats.NormalNoise(rng) * 0.5);
            var p = span!.Parameters;
            p["$pk"].Value = pk;
            p["$t"].Value = $"trace-{firstIndex}-{i / spansPerTrace}";
            p["$id"].Value = $"s{i}";
            p["$name"].Value = Names[kind][(int)(i / Kinds.Length % Names[kind].Length)];
            p["$kind"].Value = kind;
            // 2 % errors; llm fails 8 % in the last two hours (so some monitors change state).
            p["$status"].Value = rng.NextDouble() < (llm && startUs >= recentUs ? 0.08 : 0.02) ? "error" : "ok";
            p["$in"].Value = llm ? """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Summarise the following customer ticket in two sentences."}]}""" : """{"query":"order status 1234"}""";
            p["$out"].Value = llm ? """{"content":"The customer reports a late delivery and asks for a refund.","usage":{"prompt_tokens":412,"completion_tokens":38}}""" : """{"result":"shipped"}""";
            p["$s"].Value = startUs;
            p["$e"].Value = startUs + (long)(ms * 1000);
            p["$d"].Value = ms;
            p["$model"].Value = llm ? Models[(int)(i / Kinds.Length % Models.Length)] : DBNull.Value;
            long inTok = 300 + rng.Next(200), outTok = 20 + rng.Next(60);
            p["$it"].Value = llm ? inTok : DBNull.Value;
            p["$ot"].Value = llm ? outTok : DBNull.Value;
            p["$cost"].Value = llm ? (inTok * 0.15 + outTok * 0.6) / 1_000_000 : DBNull.Value;
            span.ExecuteNonQuery();
        }
        tx?.Commit();
        tx?.Dispose();
        trace?.Dispose();
        span?.Dispose();
    }

    private static (SqliteCommand Trace, SqliteCommand Span) Prepare(SqliteConnection conn, SqliteTransaction tx)
    {
        var trace = conn.CreateCommand();
        trace.Transaction = tx;
        trace.CommandText = """
            INSERT INTO traces (project_id, trace_id, name, name_explicit, status, status_explicit, start_time_us, end_time_us, created_at_us, updated_at_us,
                                span_count, error_count, input_tokens, output_tokens, cost_usd, duration_ms)
            VALUES ('bench', $t, 'agent-run', 0, 'ok', 0, $s, $s, $s, $s, 10, 0, 0, 0, 0, 0)
            RETURNING id
            """;
        trace.Parameters.Add("$t", SqliteType.Text);
        trace.Parameters.Add("$s", SqliteType.Integer);
        trace.Prepare();
        var span = conn.CreateCommand();
        span.Transaction = tx;
        span.CommandText = """
            INSERT INTO spans (trace_pk, project_id, trace_id, span_id, name, kind, status, input, output, start_time_us, end_time_us, duration_ms, model, input_tokens, output_tokens, cost_usd)
            VALUES ($pk, 'bench', $t, $id, $name, $kind, $status, $in, $out, $s, $e, $d, $model, $it, $ot, $cost)
            """;
        foreach (var (name, type) in new[] { ("$pk", SqliteType.Integer), ("$t", SqliteType.Text), ("$id", SqliteType.Text), ("$name", SqliteType.Text),
                     ("$kind", SqliteType.Text), ("$status", SqliteType.Text), ("$in", SqliteType.Text), ("$out", SqliteType.Text), ("$s", SqliteType.Integer),
                     ("$e", SqliteType.Integer), ("$d", SqliteType.Real), ("$model", SqliteType.Text), ("$it", SqliteType.Integer), ("$ot", SqliteType.Integer),
                     ("$cost", SqliteType.Real) })
            span.Parameters.Add(name, type);
        span.Prepare();
        return (trace, span);
    }

    /// <summary>A clock the bench moves a minute per evaluation.</summary>
    private sealed class SteppingTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
