// Entry point: dispatches to the ingest load generator or BenchmarkDotNet suites (filled in by the bench commits).
Console.WriteLine("usage: dotnet run -c Release --project bench/Vigil.Bench -- <ingest|query|bdn> [options]");
