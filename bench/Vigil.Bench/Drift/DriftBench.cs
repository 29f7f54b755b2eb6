using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core;
using Vigil.Core.Drift;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Bench.Drift;

/// <summary>
/// Times drift detection over N seeded spans (default 1,000,000) in a temp SQLite file: 25 h of traffic (24 h baseline +
/// 1 h current), five kinds, small JSON payloads so rows are as wide as real ones, llm 2× slower in the current hour.
/// Usage: drift [spans] [--covering-index] [--db path] [--runs n] [--readers n] (the detector's ReadParallelism; 0 = per core). <c>--db</c> seeds that file once and reuses it on later
/// calls (quick iteration; the figures in docs/benchmarks.md come from fresh temp files).
/// </summary>
public static class DriftBench
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 && !args[0].StartsWith('-') ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var reuse = Option(args, "--db");
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        using var file = BenchFile.Open("vigil-drift-bench", reuse);
        var (dbPath, seeded) = (file.Path, file.Seeded);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vigil"] = $"Data Source={dbPath}",
            ["Vigil:Drift:ReadParallelism"] = Option(args, "--readers") ?? "0",
        }).Build();
        // The detector's own log line splits each run into read / PSI / store.
        var services = new ServiceCollection().AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning).AddFilter(typeof(DriftDetector).FullName, LogLevel.Information));
        services.AddSingleton<TimeProvider>(new FixedTime(Now));
        services.AddVigilCore(config);
        services.AddVigilDrift(config);
        await using var sp = services.BuildServiceProvider();
        await using (var db = await sp.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        var sw = Stopwatch.StartNew();
        if (seeded)
        {
            // A reused file keeps its spans; only the previous runs' results go, so run 1 opens its alert again.
            await using var db = await sp.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("DELETE FROM drift_measurements; DELETE FROM drift_alerts; DELETE FROM notifications;");
            Console.WriteLine($"reusing {dbPath} ({new FileInfo(dbPath).Length / 1024 / 1024} MiB)");
        }
        else
        {
            await sp.GetRequiredService<ProjectService>().CreateAsync("bench", "Bench", null);
            Seed(dbPath, count);
            Console.WriteLine($"seeded {count:N0} spans in {sw.Elapsed.TotalSeconds:0.0} s ({new FileInfo(dbPath).Length / 1024 / 1024} MiB)");
        }

        if (args.Contains("--covering-index")) CreateCoveringIndex(dbPath);
        Probe(dbPath);
        ProbeReaders(dbPath);
        await ProbeDetectorAsync(sp);
        var detector = sp.GetRequiredService<DriftDetector>();
        var (walls, cpus) = (new List<double>(), new List<double>());
        for (var run = 1; run <= runs; run++)
        {
            // CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (gcs, pause) = (GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2), GC.GetTotalPauseDuration());
            sw.Restart();
            var result = await detector.RunAsync("bench");
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            var gcInfo = $"{GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcs} GCs, {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms paused";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {sw.Elapsed.TotalMilliseconds:0} ms wall, {cpuMs:0} ms CPU, {gcInfo}, {result!.MeasurementCount} measurements, {result.Opened.Count} opened, {result.Updated.Count} updated, {result.Resolved.Count} resolved"));
            walls.Add(sw.Elapsed.TotalMilliseconds);
            cpus.Add(cpuMs);
        }
        // Run 1 pays for JIT and cold caches; the neighbours' load only ever adds time, so the minimum is the closest
        // to what the code costs and the median to what a run sees on this machine today.
        if (runs > 2)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"runs 2-{runs}: wall min {walls.Skip(1).Min():0} median {BenchStats.Median(walls.Skip(1)):0} ms, CPU min {cpus.Skip(1).Min():0} median {BenchStats.Median(cpus.Skip(1)):0} ms; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        foreach (var a in (await sp.GetRequiredService<DriftAlertService>().ListAsync("bench", false)).OrderBy(a => a.SpanKind).ThenBy(a => a.Metric))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  alert {a.SpanKind}/{a.Metric}: PSI {a.PsiScore:0.###} ({a.Severity}), {a.BaselineValue:0.##} -> {a.CurrentValue:0.##}"));
        await PrintMeasurementsAsync(sp);
        return 0;
    }

    /// <summary>One transaction, prepared INSERTs: the fastest way into SQLite (see TOOLCHAIN.md).</summary>
    private static void Seed(string dbPath, int count)
    {
        using var conn = new SqliteConnection($"Data Source={dbPath}");
        conn.Open();
        using (var pragma = conn.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        using var tx = conn.BeginTransaction();
        var rng = new Random(42);
        var nowUs = UnixMicros.From(Now);
        var currentStartUs = nowUs - 3_600_000_000L;
        var firstUs = currentStartUs - 24 * 3_600_000_000L;
        const int spansPerTrace = 10;

        using var trace = conn.CreateCommand();
        trace.Transaction = tx;
        trace.CommandText = """
            INSERT INTO traces (project_id, trace_id, name, name_explicit, status, status_explicit, start_time_us, end_time_us, created_at_us, updated_at_us,
                                span_count, error_count, input_tokens, output_tokens, cost_usd, duration_ms)
            VALUES ('bench', $t, 'agent-run', 0, 'ok', 0, $s, $s, $s, $s, 10, 0, 0, 0, 0, 0)
            RETURNING id
            """;
        var tId = trace.Parameters.Add("$t", SqliteType.Text);
        var tStart = trace.Parameters.Add("$s", SqliteType.Integer);
        trace.Prepare();

        using var span = conn.CreateCommand();
        span.Transaction = tx;
        span.CommandText = """
            INSERT INTO spans (trace_pk, project_id, trace_id, span_id, name, kind, status, input, output, start_time_us, end_time_us, duration_ms, model, input_tokens, output_tokens, cost_usd)
            VALUES ($pk, 'bench', $t, $id, $name, $kind, $status, $in, $out, $s, $e, $d, $model, $it, $ot, $cost)
            """;
        var pPk = span.Parameters.Add("$pk", SqliteType.Integer);
        var pT = span.Parameters.Add("$t", SqliteType.Text);
        var pId = span.Parameters.Add("$id", SqliteType.Text);
        var pName = span.Parameters.Add("$name", SqliteType.Text);
        var pKind = span.Parameters.Add("$kind", SqliteType.Text);
        var pStatus = span.Parameters.Add("$status", SqliteType.Text);
        var pIn = span.Parameters.Add("$in", SqliteType.Text);
        var pOut = span.Parameters.Add("$out", SqliteType.Text);
        var pS = span.Parameters.Add("$s", SqliteType.Integer);
        var pE = span.Parameters.Add("$e", SqliteType.Integer);
        var pD = span.Parameters.Add("$d", SqliteType.Real);
        var pModel = span.Parameters.Add("$model", SqliteType.Text);
        var pIt = span.Parameters.Add("$it", SqliteType.Integer);
        var pOt = span.Parameters.Add("$ot", SqliteType.Integer);
        var pCost = span.Parameters.Add("$cost", SqliteType.Real);
        span.Prepare();

        string[] kinds = ["llm", "llm", "llm", "llm", "tool", "tool", "tool", "retriever", "chain", "agent"];
        for (var i = 0; i < count; i++)
        {
            var startUs = firstUs + (long)((double)i / count * (nowUs - firstUs));
            if (i % spansPerTrace == 0)
            {
                tId.Value = $"trace-{i / spansPerTrace}";
                tStart.Value = startUs;
                pPk.Value = (long)trace.ExecuteScalar()!;
            }
            var kind = kinds[i % kinds.Length];
            var llm = kind == "llm";
            // Log-normal latency: heavy-tailed like real calls; llm is 2× slower in the current hour.
            var ms = Math.Exp(rng.NextDouble() * 1.5 + (llm ? 6 : 3) + BenchStats.NormalNoise(rng) * 0.5);
            if (llm && startUs >= currentStartUs) ms *= 2;
            pT.Value = $"trace-{i / spansPerTrace}";
            pId.Value = $"s{i}";
            pName.Value = kind + "-step";
            pKind.Value = kind;
            pStatus.Value = rng.NextDouble() < 0.02 ? "error" : "ok";
            pIn.Value = llm ? """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Summarise the following customer ticket in two sentences."}]}""" : """{"query":"order status 1234"}""";
            pOut.Value = llm ? """{"content":"The customer reports a late delivery and asks for a refund.","usage":{"prompt_tokens":412,"completion_tokens":38}}""" : """{"result":"shipped"}""";
            pS.Value = startUs;
            pE.Value = startUs + (long)(ms * 1000);
            pD.Value = ms;
            pModel.Value = llm ? "gpt-4o-mini" : DBNull.Value;
            long inTok = 300 + rng.Next(200), outTok = 20 + rng.Next(60);
            pIt.Value = llm ? inTok : DBNull.Value;
            pOt.Value = llm ? outTok : DBNull.Value;
            pCost.Value = llm ? (inTok * 0.15 + outTok * 0.6) / 1_000_000 : DBNull.Value;
            span.ExecuteNonQuery();
        }
        tx.Commit();
        // A long-running server checkpoints continuously; without this the first detection's small write would pay for
        // checkpointing the whole seed out of the WAL.
        using var checkpoint = conn.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        checkpoint.ExecuteNonQuery();
    }

    /// <summary>What-if for docs/benchmarks.md: an index that holds every column the window query reads (not in the schema).</summary>
    private static void CreateCoveringIndex(string dbPath)
    {
        var sw = Stopwatch.StartNew();
        using var conn = new SqliteConnection($"Data Source={dbPath}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "CREATE INDEX ix_spans_drift_cover ON spans (project_id, start_time_us, kind, status, duration_ms, input_tokens, output_tokens, cost_usd)";
        cmd.ExecuteNonQuery();
        Console.WriteLine($"covering index created in {sw.Elapsed.TotalSeconds:0.0} s ({new FileInfo(dbPath).Length / 1024 / 1024} MiB)");
    }

    /// <summary>Where the time goes: the SQLite engine alone (an aggregate), then the same rows streamed to .NET.</summary>
    private static void Probe(string dbPath)
    {
        using var conn = new SqliteConnection($"Data Source={dbPath}");
        conn.Open();
        var fromUs = UnixMicros.From(Now.AddHours(-25));
        foreach (var sql in new[]
        {
            "SELECT count(*), sum(duration_ms), sum(input_tokens), sum(cost_usd), sum(status = 'error') FROM spans WHERE project_id = 'bench' AND start_time_us >= $f",
            "SELECT duration_ms FROM spans WHERE project_id = 'bench' AND start_time_us >= $f",
        })
        {
            var sw = Stopwatch.StartNew();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$f", fromUs);
            using var r = cmd.ExecuteReader();
            long rows = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double sink = 0;
            while (r.Read()) { rows++; sink += r.GetDouble(0); }
            Console.WriteLine($"probe: {sw.Elapsed.TotalMilliseconds:0} ms wall {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:0} ms CPU, {rows} row(s) {sink > 0}: {sql[..60]}...");
        }
    }

    /// <summary>
    /// Why the drift reader has its own SQLite binding: the same 25 h window read into samples through Microsoft.Data.Sqlite's
    /// ADO.NET reader, and through <see cref="Vigil.Core.Storage.Sqlite.SqliteReadConnection"/> (direct e_sqlite3 calls) with
    /// one reader and with one per core. Best of five each, alternating so both see the same neighbours.
    /// </summary>
    private static void ProbeReaders(string dbPath)
    {
        var nowUs = UnixMicros.From(Now);
        var fromUs = nowUs - 25 * 3_600_000_000L;
        using var conn = new SqliteConnection($"Data Source={dbPath}");
        conn.Open();
        var best = new Dictionary<string, (double Wall, double Cpu)>();
        void Time(string label, Func<long> read)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var rows = read();
            var (wall, cpuMs) = (sw.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            best[label] = best.TryGetValue(label, out var x) ? (Math.Min(x.Wall, wall), Math.Min(x.Cpu, cpuMs)) : (wall, cpuMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"readers: {label}: {wall:0} ms wall, {cpuMs:0} ms CPU, {rows:N0} rows"));
        }
        static long Rows(Dictionary<DriftGroup, WindowSamples> w) => w.Values.Sum(s => s.Total);
        for (var i = 0; i < 5; i++)
        {
            Time("ADO.NET reader", () => Rows(Vigil.Core.Storage.Sqlite.SqliteDriftWindowSource.ReadOne(conn, "bench", fromUs, nowUs, DriftGroupBy.Kind, default)));
            Time("direct, 1 reader", () => Rows(Vigil.Core.Storage.Sqlite.SqliteDriftWindowSource.ReadSlicedAsync(dbPath, "bench", fromUs, nowUs, nowUs, DriftGroupBy.Kind, 1, 5000, default).GetAwaiter().GetResult().Item1));
            var n = DriftDetector.Parallelism(0);
            Time($"direct, {n} readers", () => Rows(Vigil.Core.Storage.Sqlite.SqliteDriftWindowSource.ReadSlicedAsync(dbPath, "bench", fromUs, nowUs, nowUs, DriftGroupBy.Kind, n, 5000, default).GetAwaiter().GetResult().Item1));
        }
        foreach (var (label, (wall, cpu)) in best)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"readers: {label}: best {wall:0} ms wall, {cpu:0} ms CPU"));
    }

    /// <summary>The detector's two phases timed apart, wall and process CPU: reading both windows, then PSI over every group and metric.</summary>
    private static async Task ProbeDetectorAsync(IServiceProvider sp)
    {
        var source = sp.GetRequiredService<IDriftWindowSource>();
        var nowUs = UnixMicros.From(Now);
        var cur = nowUs - 3_600_000_000L;
        var settings = new DriftSettings(true, 60, 24, 1, DriftBinning.Quantile, DriftGroupBy.Kind, 10, 5, 10);
        // Alternates one reader with the detector's own count, so the two are compared under the same neighbours' load.
        var best = new Dictionary<int, (double Wall, double Cpu)>();
        for (var i = 0; i < 8; i++)
        {
            var readers = i % 2 == 0 ? DriftDetector.Parallelism(0) : 1;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var (b, c) = await source.ReadWindowsAsync("bench", cur - 24 * 3_600_000_000L, cur, nowUs, DriftGroupBy.Kind, readers, default);
            var (read, readCpu) = (sw.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds);
            sw.Restart();
            var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
            var m = DriftDetector.Measure("bench", settings, b, c, nowUs, readers);
            Console.WriteLine($"probe ({readers} reader(s)): read {read:0} ms wall {readCpu:0} ms CPU; PSI {sw.Elapsed.TotalMilliseconds:0} ms wall {(Process.GetCurrentProcess().TotalProcessorTime - cpu1).TotalMilliseconds:0} ms CPU ({m.Count} measurements)");
            best[readers] = best.TryGetValue(readers, out var x) ? (Math.Min(x.Wall, read), Math.Min(x.Cpu, readCpu)) : (read, readCpu);
        }
        foreach (var (readers, (wall, cpu)) in best.OrderBy(kv => kv.Key))
            Console.WriteLine($"probe: {readers} reader(s): read min {wall:0} ms wall, min {cpu:0} ms CPU");
    }

    /// <summary>
    /// The last run's measurements at full precision, and a digest of them: an optimisation must leave this line unchanged.
    /// </summary>
    private static async Task PrintMeasurementsAsync(IServiceProvider sp)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync();
        var last = await db.DriftMeasurements.MaxAsync(m => m.MeasuredAtUs);
        var rows = (await db.DriftMeasurements.Where(m => m.MeasuredAtUs == last && m.Id > 0).ToListAsync())
            .OrderBy(m => m.SpanKind, StringComparer.Ordinal).ThenBy(m => m.Metric, StringComparer.Ordinal)
            .Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.SpanKind}/{m.Metric} psi={m.PsiScore:R} b={m.BaselineValue:R} c={m.CurrentValue:R} n={m.BaselineCount}/{m.CurrentCount}"))
            .ToList();
        var alerts = (await db.DriftAlerts.ToListAsync()).OrderBy(a => a.SpanKind, StringComparer.Ordinal).ThenBy(a => a.Metric, StringComparer.Ordinal)
            .Select(a => $"{a.SpanKind}/{a.Metric} {a.Severity} {a.Histogram}");
        var text = string.Join("\n", rows.Concat(alerts));
        if (Environment.GetEnvironmentVariable("VIGIL_BENCH_VERBOSE") is "1") Console.WriteLine(text);
        Console.WriteLine($"results digest: {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16]} ({rows.Count} measurements)");
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
