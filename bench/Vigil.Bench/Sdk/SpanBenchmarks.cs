using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using Vigil.Sdk;
using SpanKind = Vigil.Sdk.Tracing.SpanKind;

namespace Vigil.Bench.Sdk;

/// <summary>
/// Cost on the caller's thread of one span start+end with input and output, Vigil SDK vs an <see cref="Activity"/>
/// recorded by the OpenTelemetry SDK, each configured the way a user would:
/// OpenTelemetry with its OTLP exporter (HTTP/protobuf, batch processor) and Vigil with its own exporter (HTTP/JSON).
/// Both really serialize every exported batch and POST it through an <see cref="HttpClient"/> whose handler answers
/// without network I/O. The OpenTelemetry no-op exporter row is kept as a reference for the bare Activity cost.
/// Each benchmark builds only its own pipeline, so no other exporter thread runs during its measurement.
/// </summary>
[MemoryDiagnoser]
// The box has 2 cores shared with builds: more launches and iterations than ShortRun, so the error column means something.
[SimpleJob(launchCount: 3, warmupCount: 10, iterationCount: 20)]
public class SpanBenchmarks
{
    private const int QueueSize = 100_000;
    private const int BatchSize = 512;
    private readonly object _input = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Where is my order?" } }, temperature = 0.2 };
    private readonly object _output = new { content = "It ships tomorrow.", model = "gpt-4o" };
    private VigilClient _vigil = null!;
    private ActivitySource? _source;
    private TracerProvider? _otel;
    private NoNetworkHandler? _handler;

    [GlobalSetup(Target = nameof(OpenTelemetryNoOpExporter))]
    public void SetupOtelNoOp()
    {
        _source = new ActivitySource("Vigil.Bench.NoOp");
        _otel = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(_source.Name)
            .AddProcessor(new BatchActivityExportProcessor(new NullExporter(), maxQueueSize: QueueSize, maxExportBatchSize: BatchSize))
            .Build()!;
    }

    [GlobalSetup(Target = nameof(OpenTelemetryOtlp))]
    public void SetupOtelOtlp()
    {
        _source = new ActivitySource("Vigil.Bench.Otlp");
        _handler = new NoNetworkHandler(HttpStatusCode.OK);
        _otel = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(_source.Name)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri("http://127.0.0.1:4318/v1/traces");
                o.HttpClientFactory = () => new HttpClient(_handler, disposeHandler: false);
                o.ExportProcessorType = ExportProcessorType.Batch;
                o.BatchExportProcessorOptions = new BatchExportActivityProcessorOptions { MaxQueueSize = QueueSize, MaxExportBatchSize = BatchSize };
            })
            .Build()!;
    }

    [GlobalSetup(Target = nameof(VigilSpan))]
    public void SetupVigil()
    {
        _handler = new NoNetworkHandler(HttpStatusCode.Created);
        _vigil = new VigilClient(new VigilOptions
        {
            Endpoint = "http://127.0.0.1:5000",
            ApiKey = "bench",
            BatchSize = BatchSize,
            MaxQueueSize = QueueSize,
            HttpHandler = _handler,
        });
    }

    [GlobalSetup(Target = nameof(VigilSpanDisabled))]
    public void SetupVigilDisabled() => _vigil = new VigilClient(new VigilOptions { Enabled = false });

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_vigil is not null)
        {
            var stats = _vigil.Stats;
            Console.WriteLine($"// Vigil exporter: enqueued {stats.Enqueued}, exported {stats.Exported}, dropped {stats.Dropped}; POSTs {_handler?.Requests}, bytes {_handler?.Bytes}");
            _vigil.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (_otel is not null)
        {
            _otel.Dispose();
            Console.WriteLine($"// OpenTelemetry exporter: POSTs {_handler?.Requests}, bytes {_handler?.Bytes}");
        }
        _source?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "OTel Activity, OTLP HTTP/protobuf exporter")]
    public void OpenTelemetryOtlp() => RecordActivity();

    [Benchmark(Description = "OTel Activity, no-op exporter (reference)")]
    public void OpenTelemetryNoOpExporter() => RecordActivity();

    [Benchmark(Description = "Vigil span, HTTP/JSON exporter")]
    public void VigilSpan()
    {
        using var span = _vigil.StartSpan("llm-call", SpanKind.Llm, _input);
        span.SetOutput(_output);
    }

    [Benchmark(Description = "Vigil span, Enabled = false")]
    public void VigilSpanDisabled()
    {
        using var span = _vigil.StartSpan("llm-call", SpanKind.Llm, _input);
        span.SetOutput(_output);
    }

    private void RecordActivity()
    {
        using var activity = _source!.StartActivity("llm-call");
        activity?.SetTag("input", _input);
        activity?.SetTag("output", _output);
    }

    /// <summary>Answers every request with a fixed status after reading its body, as a socket would, without network I/O.</summary>
    private sealed class NoNetworkHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public long Requests;
        public long Bytes;

        // The OTLP exporter sends synchronously from its export thread.
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var counter = new CountingStream();
            request.Content?.CopyTo(counter, null, cancellationToken);
            return Answer(request, counter.Length);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var counter = new CountingStream();
            if (request.Content is not null) await request.Content.CopyToAsync(counter, cancellationToken).ConfigureAwait(false);
            return Answer(request, counter.Length);
        }

        private HttpResponseMessage Answer(HttpRequestMessage request, long length)
        {
            Interlocked.Increment(ref Requests);
            Interlocked.Add(ref Bytes, length);
            return new HttpResponseMessage(status) { RequestMessage = request, Content = new ByteArrayContent([]) };
        }
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NullExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }
}
