// Entry point: dispatches to the ingest load generator or BenchmarkDotNet suites (filled in by the bench commits).
if (args.Length > 0 && args[0] == "drift") { await Vigil.Bench.Drift.DriftBench.RunAsync(args[1..]); return; }
Console.WriteLine("usage: dotnet run -c Release --project bench/Vigil.Bench -- <ingest|query|bdn> [options]");
