using System.Diagnostics;
using System.Net;
using Vigil.Sdk;
using SpanKind = Vigil.Sdk.Tracing.SpanKind;

namespace Vigil.Bench.Sdk;

/// <summary>
/// A plain loop of Vigil spans (start + end with input and output) for a profiler such as
/// <c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>: BenchmarkDotNet's harness would dominate the samples.
/// Usage: <c>span-loop [--seconds 10] [--disabled]</c>.
/// </summary>
internal static class SpanLoop
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = 10;
        var disabled = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--disabled") disabled = true;
        }
        var input = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Where is my order?" } }, temperature = 0.2 };
        var output = new { content = "It ships tomorrow.", model = "gpt-4o" };
        await using var client = new VigilClient(disabled
            ? new VigilOptions { Enabled = false }
            : new VigilOptions { Endpoint = "http://127.0.0.1:5000", ApiKey = "bench", BatchSize = 512, MaxQueueSize = 100_000, HttpHandler = new CreatedHandler() });
        var sw = Stopwatch.StartNew();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 10_000; i++)
            {
                using var span = client.StartSpan("llm-call", SpanKind.Llm, input);
                span.SetOutput(output);
            }
            n += 10_000;
        }
        var elapsed = sw.Elapsed;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var stats = client.Stats;
        Console.WriteLine($"{n} spans, {elapsed.TotalNanoseconds / n:F1} ns/span, {(double)allocated / n:F1} B/span (all threads); " +
            $"exported {stats.Exported}, dropped {stats.Dropped}; gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}");
        return 0;
    }

    private sealed class CreatedHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null) await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.Created) { RequestMessage = request };
        }
    }
}
