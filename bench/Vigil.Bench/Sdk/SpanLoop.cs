using System.Diagnostics;
using System.Net;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using Vigil.Sdk;
using SpanKind = Vigil.Sdk.Tracing.SpanKind;

namespace Vigil.Bench.Sdk;

/// <summary>
/// A plain loop of Vigil spans (start + end with input and output) for a profiler such as
/// <c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>: BenchmarkDotNet's harness would dominate the samples.
/// Usage: <c>span-loop [--seconds 10] [--disabled | --otel | --otel-noop]</c> (<c>--otel</c>: an Activity into the OTLP
/// HTTP/protobuf exporter; <c>--otel-noop</c>: into a batch processor with a no-op exporter).
/// </summary>
internal static class SpanLoop
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = 10;
        var disabled = false;
        var otel = false;
        var otelNoOp = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--disabled") disabled = true;
            else if (args[i] == "--otel") otel = true;
            else if (args[i] == "--otel-noop") otel = otelNoOp = true;
        }
        var input = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Where is my order?" } }, temperature = 0.2 };
        var output = new { content = "It ships tomorrow.", model = "gpt-4o" };
        await using var client = new VigilClient(disabled
            ? new VigilOptions { Enabled = false }
            : new VigilOptions { Endpoint = "http://127.0.0.1:5000", ApiKey = "bench", BatchSize = 512, MaxQueueSize = 100_000, HttpHandler = new CreatedHandler() });
        using var source = new ActivitySource("Vigil.Bench.Loop");
        using var provider = otelNoOp
            ? OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(source.Name)
                .AddProcessor(new BatchActivityExportProcessor(new NoOpExporter(), maxQueueSize: 100_000, maxExportBatchSize: 512)).Build()
            : otel
            ? OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri("http://127.0.0.1:4318/v1/traces");
                o.HttpClientFactory = () => new HttpClient(new CreatedHandler());
                o.BatchExportProcessorOptions = new BatchExportActivityProcessorOptions { MaxQueueSize = 100_000, MaxExportBatchSize = 512 };
            }).Build()
            : null;
        var sw = Stopwatch.StartNew();
        var threadCpu = ThreadCpu();
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 10_000 && otel; i++)
            {
                using var activity = source.StartActivity("llm-call");
                activity?.SetTag("input", input);
                activity?.SetTag("output", output);
            }
            for (var i = 0; i < 10_000 && !otel; i++)
            {
                using var span = client.StartSpan("llm-call", SpanKind.Llm, input);
                span.SetOutput(output);
            }
            n += 10_000;
        }
        var elapsed = sw.Elapsed;
        threadCpu = ThreadCpu() - threadCpu;
        processCpu = Process.GetCurrentProcess().TotalProcessorTime - processCpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var stats = client.Stats;
        // CPU times as well as wall time: on a shared 2-core box the wall time mostly measures the neighbours.
        Console.WriteLine($"{n} spans, {elapsed.TotalNanoseconds / n:F1} ns/span wall, {threadCpu.TotalNanoseconds / n:F1} ns/span caller CPU, " +
            $"{processCpu.TotalNanoseconds / n:F1} ns/span process CPU, {(double)allocated / n:F1} B/span (all threads); " +
            $"exported {stats.Exported}, dropped {stats.Dropped}; gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}");
        return 0;
    }

    private static TimeSpan ThreadCpu()
    {
        clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts);
        return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int clock_gettime(int clock, out Timespec value);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private sealed class NoOpExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }

    private sealed class CreatedHandler : HttpMessageHandler
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Content?.CopyTo(Stream.Null, null, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null) await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.Created) { RequestMessage = request };
        }
    }
}
