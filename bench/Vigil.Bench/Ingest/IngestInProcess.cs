using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Projects;
using Vigil.Core.Storage;

namespace Vigil.Bench.Ingest;

/// <summary>
/// The ingest service without HTTP: parse + validate + write of the same batches into a temp SQLite file, or a new
/// PostgreSQL database (<c>--provider postgres</c>, server and role in <c>--pg</c>), from <c>--concurrency</c> callers.
/// Separates the storage path's cost from Kestrel's, and prints where the writer spends its time per phase.
/// </summary>
public static class IngestInProcess
{
    private static List<byte[]> ScaleBatches(int spans, int batchSize)
    {
        var traces = spans / Scale.ScaleTraffic.SpansPerTrace;
        var perBatch = Math.Max(1, batchSize / Scale.ScaleTraffic.SpansPerTrace);
        var traffic = new Scale.ScaleTraffic(traces, "inproc", DateTimeOffset.UtcNow);
        var batches = new List<byte[]>();
        for (var t = 0L; t < traces; t += perBatch) batches.Add(traffic.Batch(t, perBatch));
        return batches;
    }

    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var total = a.Int("spans", 100_000);
        var batchSize = a.Int("batch", 100);
        var otlp = a.String("format", "native") == "otlp";
        var postgres = a.String("provider", "sqlite") == "postgres";
        var callers = a.Int("concurrency", 1);
        var dir = Directory.CreateTempSubdirectory("vigil-bench-");
        var pgServer = a.String("pg", "Host=127.0.0.1;Username=vigil;Password=vigil");
        var pgDatabase = $"vigil_bench_{Guid.NewGuid():N}"[..30];
        if (postgres) await PgAdminAsync(pgServer, $"CREATE DATABASE {pgDatabase}");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Database:Provider"] = postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Vigil"] = postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(pgServer) { Database = pgDatabase }.ConnectionString
                : $"Data Source={Path.Combine(dir.FullName, "vigil.db")}",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVigilCore(config);
        await using var sp = services.BuildServiceProvider();
        await using (var db = await sp.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        await sp.GetRequiredService<ProjectService>().CreateAsync("bench", "bench", null);
        var ingest = sp.GetRequiredService<IngestService>();
        var limits = new IngestOptions();
        // --traffic scale: the scale benchmark's month of agent traces (~1 KB texts on LLM spans), batch/5 traces a batch.
        var batches = a.String("traffic", "small") == "scale" ? ScaleBatches(total, batchSize)
            : otlp ? OtlpSpanGenerator.Batches(total, batchSize, "inproc") : SpanGenerator.Batches(total, batchSize, "inproc");

        var parseTicks = 0L;
        var timings = sp.GetRequiredService<IngestWriterTimings>();
        var (groups0, spans0) = (timings.Groups, timings.Spans);
        var phases0 = Enumerable.Range(0, IngestWriterTimings.Phases.Length).Select(i => timings[i]).ToArray();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                var t = Stopwatch.GetTimestamp();
                var batch = otlp ? OtlpMapper.Map(OtlpProtobufReader.Read(batches[i]), limits) : NativeBatchParser.Parse(batches[i], limits);
                Interlocked.Add(ref parseTicks, Stopwatch.GetTimestamp() - t);
                var result = await ingest.IngestAsync("bench", batch, otlp ? IngestMode.DropInvalid : IngestMode.AllOrNothing);
                if (result.RejectedCount > 0) throw new InvalidOperationException(string.Join("; ", result.Errors));
                if (result.Outcome != IngestOutcome.Accepted) throw new InvalidOperationException(result.Outcome.ToString());
            }
        })));
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        var parse = Stopwatch.GetElapsedTime(0, parseTicks);
        Console.WriteLine($"in-process ({(otlp ? "otlp" : "native")}, {(postgres ? "postgres" : "sqlite")}): {total / clock.Elapsed.TotalSeconds:N0} spans/s ({clock.Elapsed.TotalSeconds:N2} s, parse {parse.TotalSeconds:N2} s, "
            + $"process CPU {cpu.TotalSeconds:N2} s = {cpu.TotalMicroseconds / total:N1} µs/span) {callers} caller(s), batch {batchSize}");
        var spans = Math.Max(1, timings.Spans - spans0);
        Console.WriteLine($"writer: {timings.Groups - groups0:N0} groups of {(double)spans / Math.Max(1, timings.Groups - groups0):N0} spans; wall per span: "
            + string.Join(", ", IngestWriterTimings.Phases.Select((p, i) => $"{p} {(timings[i] - phases0[i]).TotalMicroseconds / spans:N1} µs")));
        await sp.DisposeAsync();
        if (postgres)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PgAdminAsync(pgServer, $"DROP DATABASE {pgDatabase} WITH (FORCE)");
        }
        dir.Delete(recursive: true);
        return 0;
    }

    internal static async Task PgAdminAsync(string server, string sql)
    {
        await using var c = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }
}
