using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Vigil.Sdk;
using Vigil.Sdk.Export;
using SpanKind = Vigil.Sdk.Tracing.SpanKind;

namespace Vigil.Bench.Sdk;

/// <summary>
/// Cost on the caller's thread of one span start+end with input and output, Vigil SDK vs an
/// <see cref="Activity"/> recorded by the OpenTelemetry SDK with a batch processor. Both export to a
/// no-op sink on their background thread (Vigil still serializes the batch to JSON there), no network.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SpanBenchmarks
{
    private readonly object _input = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Where is my order?" } }, temperature = 0.2 };
    private readonly object _output = new { content = "It ships tomorrow.", model = "gpt-4o" };
    private VigilClient _vigil = null!;
    private VigilClient _disabled = null!;
    private ActivitySource _source = null!;
    private TracerProvider _otel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _vigil = new VigilClient(new VigilOptions
        {
            Endpoint = "http://127.0.0.1:9",
            ApiKey = "bench",
            BatchSize = 512,
            MaxQueueSize = 100_000,
            Transport = new NullTransport(),
        });
        _disabled = new VigilClient(new VigilOptions { Enabled = false });
        _source = new ActivitySource("Vigil.Bench");
        _otel = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource("Vigil.Bench")
            .AddProcessor(new BatchActivityExportProcessor(new NullExporter(), maxQueueSize: 100_000, maxExportBatchSize: 512))
            .Build()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var stats = _vigil.Stats;
        Console.WriteLine($"// Vigil exporter: enqueued {stats.Enqueued}, exported {stats.Exported}, dropped {stats.Dropped}");
        _vigil.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _otel.Dispose();
        _source.Dispose();
    }

    [Benchmark(Baseline = true, Description = "OpenTelemetry Activity + batch processor")]
    public void OpenTelemetryActivity()
    {
        using var activity = _source.StartActivity("llm-call");
        activity?.SetTag("input", _input);
        activity?.SetTag("output", _output);
    }

    [Benchmark(Description = "Vigil span (enabled, exporter running)")]
    public void VigilSpan()
    {
        using var span = _vigil.StartSpan("llm-call", SpanKind.Llm, _input);
        span.SetOutput(_output);
    }

    [Benchmark(Description = "Vigil span (Enabled = false)")]
    public void VigilSpanDisabled()
    {
        using var span = _disabled.StartSpan("llm-call", SpanKind.Llm, _input);
        span.SetOutput(_output);
    }

    private sealed class NullTransport : IVigilTransport
    {
        public Task<TransportResult> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => Task.FromResult(new TransportResult(201));
        public void Dispose() { }
    }

    private sealed class NullExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }
}
