using Microsoft.Extensions.Logging;
using Vigil.Sample;
using Vigil.Sdk;

// Usage: dotnet run --project samples/Vigil.Sample -- [--traces N] [--rate PER_SECOND] [--seed S]
// Reads VIGIL_ENDPOINT (default http://localhost:5000), VIGIL_API_KEY and VIGIL_PROJECT_ID.
int? traces = null;
double rate = 2;
var seed = 42;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--traces": traces = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--rate": rate = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
    }
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var options = new VigilOptions();
options.Endpoint ??= "http://localhost:5000";
if (string.IsNullOrEmpty(options.ApiKey))
{
    Console.Error.WriteLine("Set VIGIL_API_KEY (and VIGIL_ENDPOINT, VIGIL_PROJECT_ID) to the Vigil server's project key.");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

await using var vigil = new VigilClient(options, loggerFactory.CreateLogger<VigilClient>());
var agent = new SupportAgent(vigil, new Random(seed));
var interval = TimeSpan.FromSeconds(1 / Math.Max(rate, 0.001));
var running = new List<Task>();
var sent = 0;
Console.WriteLine($"Sending {(traces?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited")} traces to {options.Endpoint} at {rate}/s; Ctrl+C stops.");
try
{
    while (!cts.IsCancellationRequested && (traces is null || sent < traces))
    {
        running.Add(agent.RunAsync(++sent, cts.Token));
        running.RemoveAll(t => t.IsCompleted);
        await Task.Delay(interval, cts.Token);
    }
}
catch (OperationCanceledException)
{
}
try { await Task.WhenAll(running); } catch (OperationCanceledException) { }
using (var flushTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
{
    try { await vigil.ForceFlushAsync(flushTimeout.Token); }
    catch (OperationCanceledException) { Console.Error.WriteLine("The Vigil server did not take every span within 15 s."); }
}
var stats = vigil.Stats;
Console.WriteLine($"{sent} traces; spans exported {stats.Exported}, dropped {stats.Dropped}, rejected {stats.Rejected}, retries {stats.Retries}");
return 0;
