using BenchmarkDotNet.Attributes;
using Vigil.Sdk;
using Vigil.Sdk.Export;
using Vigil.Sdk.Tracing;

namespace Vigil.Bench.Sdk;

/// <summary>
/// The exporter's background cost per span: writing a batch of 512 finished spans (input and output objects,
/// as in <see cref="SpanBenchmarks"/>) to native JSON. Bounds the sustained span rate one core can export.
/// </summary>
[MemoryDiagnoser]
// Same run length as SpanBenchmarks: the shared 2-core box makes ShortRun's error column as large as the mean.
[SimpleJob(launchCount: 3, warmupCount: 10, iterationCount: 20)]
public class SpanSerializationBenchmarks
{
    private const int Batch = 512;
    private readonly List<VigilSpan> _spans = new(Batch);
    private readonly SpanSerializer _serializer = new(64 * 1024, "bench");

    [GlobalSetup]
    public void Setup()
    {
        // Disabled: spans end normally but are not queued anywhere.
        var client = new VigilClient(new VigilOptions { Enabled = false });
        var input = new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Where is my order?" } }, temperature = 0.2 };
        var output = new { content = "It ships tomorrow.", model = "gpt-4o" };
        using var trace = client.StartTrace("bench");
        for (var i = 0; i < Batch; i++)
        {
            using var span = client.StartSpan("llm-call", SpanKind.Llm, input);
            span.SetOutput(output);
            _spans.Add(span);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Vigil exporter: serialize one span (batch of 512)")]
    public int SerializePerSpan() => _serializer.Serialize(_spans).Length;
}
