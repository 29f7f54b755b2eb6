using Vigil.Bench.Ingest;
using Vigil.Bench.Live;
using Vigil.Bench.Query;

// Entry point: one sub-command per scenario. Figures go into docs/benchmarks.md.
if (args.Length == 0)
{
    Console.WriteLine("""
        usage: dotnet run -c Release --project bench/Vigil.Bench -- <scenario> [options]
          ingest          load generator against a running server (--url, --key, --spans, --batch, --concurrency, --format native|otlp|otlp-grpc, --grpc-url)
          ingest-inproc   the ingest service without HTTP, into a temp SQLite file (--spans, --batch, --format native|otlp, --traffic small|scale)
          live            POST-to-hub-client latency while ingesting (--url, --key, --rate 5000, --seconds 20)
          query           trace explorer first-page queries over 100k traces in a temp SQLite file (--traces, --runs, --keep)
          bdn             BenchmarkDotNet suites, e.g. bdn --filter '*Span*'
          span-loop       a plain loop of SDK spans to profile (--seconds 10, --disabled)
          drift           drift detection over N spans seeded into a temp SQLite file (default 1000000)
          auth-flood      requests with random API keys against a running server; its RSS before and after (--url, --pid, --requests 200000)
          scale           history at scale against a running server: load N spans (--spans 10000000), time every read path,
                          export and retention (--url, --key, --admin-key, --db file | --pg connstring, --phases, --state)
          monitors        one evaluation of 100 monitors over N spans of history (default 10000000 over 30 days; --days, --monitors, --runs, --db)
          soak            N minutes at a fixed rate with Chromium on three pages and N hub clients; server memory per minute
                          (--url, --key, --pid, --rate 5000, --minutes 10, --hub-clients 20, --email, --password, --out)
          pages           every dashboard page in Chromium against a running server, first and second visit (--url, --key, --email, --password, --out)
          sessions        sessions and users lists over N spans of chat turns ingested in-process (--spans 1000000, --provider sqlite|postgres, --runs 50)
        """);
    return 1;
}

return args[0] switch
{
    "ingest" => await IngestLoad.RunAsync(args[1..]),
    "ingest-inproc" => await IngestInProcess.RunAsync(args[1..]),
    "live" => await LiveLatency.RunAsync(args[1..]),
    "query" => await QueryBench.RunAsync(args[1..]),
    "bdn" => Bdn(args[1..]),
    "span-loop" => await Vigil.Bench.Sdk.SpanLoop.RunAsync(args[1..]),
    "drift" => await Vigil.Bench.Drift.DriftBench.RunAsync(args[1..]),
    "auth-flood" => await Vigil.Bench.Auth.AuthFlood.RunAsync(args[1..]),
    "scale" => await Vigil.Bench.Scale.ScaleBench.RunAsync(args[1..]),
    "monitors" => await Vigil.Bench.Alerting.MonitorBench.RunAsync(args[1..]),
    "sessions" => await Vigil.Bench.Sessions.SessionBench.RunAsync(args[1..]),
    "soak" => await Vigil.Bench.Soak.SoakBench.RunAsync(args[1..]),
    "pages" => await Vigil.Bench.Pages.PageTimings.RunAsync(args[1..]),
    _ => Usage(args[0]),
};

static int Bdn(string[] args)
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

static int Usage(string scenario)
{
    Console.Error.WriteLine($"unknown scenario '{scenario}'");
    return 1;
}
