using System.Collections.Concurrent;
using System.Net;
using CsCheck;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Ingest;
using Vigil.Core.Storage;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>Small limits so generated bodies reach every one of them cheaply; no rate limits (the fuzzer is one client).</summary>
public sealed class FuzzFactory : VigilWebFactory
{
    public const string AdminKey = "vgl_admin_key_for_fuzzing_the_api_0001";

    public FuzzFactory()
    {
        With("Vigil:Init:AdminApiKey", AdminKey);
        With("Vigil:RateLimits:Enabled", "false");
        With("Vigil:Ingest:MaxBodyBytes", "65536");
        With("Vigil:Ingest:MaxSpansPerBatch", "50");
        With("Vigil:Ingest:MaxJsonDepth", "32");
        With("Vigil:Ingest:MaxFieldBytes", "4096");
        With("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>Errors the server logged (an unhandled exception behind a 500 among them), for the failure message.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new ErrorSink(Errors)));
    }

    private sealed class ErrorSink(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error) return;
            errors.Enqueue($"{formatter(state, exception)} {exception}");
            while (errors.Count > 20) errors.TryDequeue(out _); // the latest are the ones behind a failure
        }
        public void Dispose() { }
    }
}

/// <summary>
/// Property-based fuzzing of POST /v1/traces through the in-memory server: for each reader (native JSON, OTLP/JSON, OTLP
/// protobuf) and for gzip, at least 20,000 generated and mutated bodies (<c>VIGIL_FUZZ_ITERATIONS</c> overrides). Each
/// is answered 2xx or 4xx, never 5xx (CsCheck shrinks a failure to a small body and prints its seed); afterwards the
/// database holds exactly what the accepted requests sent and nothing of the rejected ones, and the server still
/// answers health, ingest and reads.
/// </summary>
public sealed class IngestFuzzTests(FuzzFactory factory) : IClassFixture<FuzzFactory>
{
    private static readonly long Iterations =
        long.TryParse(Environment.GetEnvironmentVariable("VIGIL_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 20_000;

    [Fact]
    public Task Native_json_bodies_get_2xx_or_4xx_and_never_a_partial_write() => RunAsync("fuzz-native",
        p => Gen.Select(NativeBodies.Any(p), FuzzRequest.JsonContentType).Select((b, t) => new FuzzRequest(b, t)));

    [Fact]
    public Task Otlp_json_bodies_get_2xx_or_4xx_and_never_a_partial_write() => RunAsync("fuzz-otlp-json",
        _ => Gen.Select(OtlpBodies.Json, FuzzRequest.JsonContentType).Select((b, t) => new FuzzRequest(b, t)));

    [Fact]
    public Task Otlp_protobuf_bodies_get_2xx_or_4xx_and_never_a_partial_write() => RunAsync("fuzz-otlp-proto",
        _ => OtlpBodies.Protobuf.Select(b => new FuzzRequest(b, FuzzRequest.Protobuf)));

    [Fact]
    public Task Gzip_bodies_get_2xx_or_4xx_and_never_a_partial_write() => RunAsync("fuzz-gzip", FuzzRequest.Gzipped);

    private async Task RunAsync(string projectId, Func<string, Gen<FuzzRequest>> generator)
    {
        var client = factory.ClientWithKey(await factory.CreateProjectAsync(projectId));
        var ledger = new IngestLedger(projectId, factory.Get<IOptions<IngestOptions>>().Value);
        var statuses = new ConcurrentDictionary<int, int>();

        await generator(projectId).SampleAsync(async request =>
        {
            using var content = request.ToContent();
            using var response = await client.PostAsync("/v1/traces", content);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (status is < 200 or >= 500 or (>= 300 and < 400))
                throw new InvalidOperationException($"HTTP {status}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 2000)))}"
                    + $"\nServer errors: {string.Join("\n", factory.Errors.TakeLast(2))}");
            if (status < 300) ledger.Accepted(request, body);
        }, iter: Iterations, threads: 4, print: r => r.ToString());

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{projectId}: {summary}");
        var total = statuses.Values.Sum();
        var accepted = statuses.Where(s => s.Key < 300).Sum(s => s.Value);
        // Both outcomes must be common, or the generator has drifted into testing only one of them.
        Assert.True(accepted > total / 20 && accepted < total - total / 20, $"Unbalanced outcomes ({summary})");

        Assert.Empty(ledger.Inconsistencies.Take(10));
        Assert.Empty(await ledger.CompareAsync(factory.Get<IDbContextFactory<VigilDbContext>>()));
        await AssertServerStillServesAsync(client, ledger);
    }

    private static async Task AssertServerStillServesAsync(HttpClient client, IngestLedger ledger)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
        var ok = await client.PostTracesAsync("""{"spans":[{"span_id":"after-fuzz","trace_id":"after-fuzz","name":"still up"}]}""");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        // Whatever was stored can be read back (payloads nested deep or holding odd text included).
        foreach (var traceId in ledger.TraceIds.Take(200))
        {
            var read = await client.GetAsync($"/v1/traces/{Uri.EscapeDataString(traceId)}");
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"GET trace '{traceId}': {(int)read.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/traces?limit=200")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/spans?limit=200")).StatusCode);
    }
}
