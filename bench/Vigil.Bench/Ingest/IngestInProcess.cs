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
/// The ingest service without HTTP: parse + validate + write of the same batches into a temp SQLite file,
/// one caller. Separates the storage path's cost from Kestrel's.
/// </summary>
public static class IngestInProcess
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new BenchArgs(argv);
        var total = a.Int("spans", 100_000);
        var batchSize = a.Int("batch", 100);
        var otlp = a.String("format", "native") == "otlp";
        var dir = Directory.CreateTempSubdirectory("vigil-bench-");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vigil"] = $"Data Source={Path.Combine(dir.FullName, "vigil.db")}",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVigilCore(config);
        await using var sp = services.BuildServiceProvider();
        await using (var db = await sp.GetRequiredService<IDbContextFactory<VigilDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        await sp.GetRequiredService<ProjectService>().CreateAsync("bench", "bench", null);
        var ingest = sp.GetRequiredService<IngestService>();
        var limits = new IngestOptions();
        var batches = otlp ? OtlpSpanGenerator.Batches(total, batchSize, "inproc") : SpanGenerator.Batches(total, batchSize, "inproc");

        var parse = TimeSpan.Zero;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var body in batches)
        {
            var t = Stopwatch.GetTimestamp();
            var batch = otlp ? OtlpMapper.Map(OtlpProtobufReader.Read(body), limits) : NativeBatchParser.Parse(body, limits);
            parse += Stopwatch.GetElapsedTime(t);
            var result = await ingest.IngestAsync("bench", batch, otlp ? IngestMode.DropInvalid : IngestMode.AllOrNothing);
            if (result.RejectedCount > 0) throw new InvalidOperationException(string.Join("; ", result.Errors));
            if (result.Outcome != IngestOutcome.Accepted) throw new InvalidOperationException(result.Outcome.ToString());
        }
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        Console.WriteLine($"in-process ({(otlp ? "otlp" : "native")}): {total / clock.Elapsed.TotalSeconds:N0} spans/s ({clock.Elapsed.TotalSeconds:N2} s, parse {parse.TotalSeconds:N2} s, "
            + $"process CPU {cpu.TotalSeconds:N2} s = {cpu.TotalMicroseconds / total:N1} µs/span) one caller, batch {batchSize}");
        dir.Delete(recursive: true);
        return 0;
    }
}
