using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Sdk.Export;
using Vigil.Sdk.Tests.Infrastructure;
using Vigil.Sdk.Tracing;

namespace Vigil.Sdk.Tests.Export;

public sealed class ExporterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VigilOptions Options(string endpoint, Action<VigilOptions>? configure = null)
    {
        var options = new VigilOptions
        {
            Endpoint = endpoint,
            ApiKey = "vgl_test_key_0123456789",
            ProjectId = "sdk-tests",
            FlushInterval = TimeSpan.FromMilliseconds(20),
            Timeout = TimeSpan.FromSeconds(2),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            MaxRetries = 50,
        };
        configure?.Invoke(options);
        return options;
    }

    private static List<string> EndSpans(VigilClient client, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var span = client.StartSpan($"span-{i}", SpanKind.Tool, new { i });
            ids.Add(span.SpanId);
        }
        return ids;
    }

    private static async Task WaitUntil(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(10, Ct);
        }
    }

    [Fact]
    public async Task Sends_native_json_with_bearer_key_and_project()
    {
        await using var server = await FakeVigilServer.StartAsync();
        await using var client = new VigilClient(Options(server.Url));
        using (var trace = client.StartTrace("pipeline"))
        {
            using var span = client.StartSpan("step", SpanKind.Retriever, new { query = "q" });
            span.SetOutput("docs");
        }
        await client.ForceFlushAsync(Ct);

        Assert.Equal(2, server.Delivered.Count);
        Assert.All(server.AuthHeaders, h => Assert.Equal("Bearer vgl_test_key_0123456789", h));
        var body = server.Bodies.Single();
        Assert.Equal("sdk-tests", body.GetProperty("project_id").GetString());
        Assert.Equal(["project_id", "spans"], body.EnumerateObject().Select(p => p.Name).Order().ToArray());
        var step = body.GetProperty("spans").EnumerateArray().Single(s => s.Str("name") == "step");
        Assert.Equal("retriever", step.Str("kind"));
        Assert.Equal("ok", step.Str("status"));
        Assert.Equal("q", step.GetProperty("input").GetProperty("query").GetString());
        Assert.Equal("docs", step.GetProperty("output").GetProperty("value").GetString());
        Assert.Equal(16, step.Str("span_id")!.Length);
        Assert.Equal(32, step.Str("trace_id")!.Length);
        Assert.NotNull(step.Str("parent_span_id"));
        Assert.True(DateTimeOffset.Parse(step.Str("end_time")!) >= DateTimeOffset.Parse(step.Str("start_time")!));
        Assert.Equal(2, client.Stats.Exported);
    }

    [Fact]
    public async Task Server_down_then_up_gets_every_span_exactly_once()
    {
        var port = FakeVigilServer.FreePort();
        await using var client = new VigilClient(Options($"http://127.0.0.1:{port}", o => o.BatchSize = 10));
        var ids = EndSpans(client, 55);
        await WaitUntil(() => client.Stats.Retries >= 2);   // connection refused, retried

        await using var server = await FakeVigilServer.StartAsync(port: port);
        ids.AddRange(EndSpans(client, 5));
        await client.ForceFlushAsync(Ct);

        Assert.Equal(ids.Order(), server.Delivered.Keys.Order());
        Assert.All(server.Delivered.Values, count => Assert.Equal(1, count));
        Assert.Equal(60, client.Stats.Exported);
        Assert.Equal(0, client.Stats.Dropped);
    }

    [Fact]
    public async Task Server_errors_and_timeouts_are_retried_until_delivered()
    {
        await using var server = await FakeVigilServer.StartAsync(async (n, ctx) =>
        {
            if (n is 0 or 1) return Results.StatusCode(500);
            if (n is 2) return Results.StatusCode(503);
            if (n is 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted);   // longer than the client's timeout
            }
            return null;
        });
        await using var client = new VigilClient(Options(server.Url, o => o.Timeout = TimeSpan.FromSeconds(1)));
        var ids = EndSpans(client, 3);
        await client.ForceFlushAsync(Ct);

        Assert.Equal(ids.Order(), server.Delivered.Keys.Order());
        Assert.All(server.Delivered.Values, count => Assert.Equal(1, count));
        Assert.Equal(4, client.Stats.Retries);
        Assert.Equal(5, server.Requests);
    }

    [Fact]
    public void Backoff_ceiling_grows_exponentially_and_is_capped_and_jitter_stays_below_it()
    {
        var baseDelay = TimeSpan.FromMilliseconds(100);
        var cap = TimeSpan.FromSeconds(30);
        var ceilings = Enumerable.Range(0, 12).Select(a => Backoff.Ceiling(a, baseDelay, cap)).ToArray();
        Assert.Equal(TimeSpan.FromMilliseconds(100), ceilings[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(800), ceilings[3]);
        Assert.True(ceilings.Zip(ceilings.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(cap, ceilings[^1]);
        var random = new Random(42);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var delay = Backoff.FullJitter(attempt, baseDelay, cap, random);
            Assert.InRange(delay, TimeSpan.Zero, Backoff.Ceiling(attempt, baseDelay, cap));
        }
    }

    [Fact]
    public async Task Too_many_requests_waits_for_retry_after()
    {
        await using var server = await FakeVigilServer.StartAsync((n, ctx) =>
        {
            if (n > 0) return Task.FromResult<IResult?>(null);
            ctx.Response.Headers.RetryAfter = "1";
            return Task.FromResult<IResult?>(Results.StatusCode(429));
        });
        await using var client = new VigilClient(Options(server.Url, o => o.RetryMaxDelay = TimeSpan.FromSeconds(5)));
        EndSpans(client, 2);
        await client.ForceFlushAsync(Ct);

        var times = server.RequestTimes.ToArray();
        Assert.Equal(2, times.Length);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"waited only {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.Equal(2, server.Delivered.Count);
        Assert.Equal(1, client.Stats.Retries);
    }

    [Fact]
    public async Task Bad_request_is_not_retried_and_counted_as_rejected()
    {
        await using var server = await FakeVigilServer.StartAsync((_, _) => Task.FromResult<IResult?>(
            Results.Problem(title: "Invalid batch", detail: "spans[0].kind: unknown", statusCode: 400)));
        await using var client = new VigilClient(Options(server.Url));
        EndSpans(client, 4);
        await client.ForceFlushAsync(Ct);

        Assert.Equal(1, server.Requests);
        Assert.Equal(4, client.Stats.Rejected);
        Assert.Equal(0, client.Stats.Retries);
        Assert.Equal(0, client.Stats.Exported);
    }

    [Fact]
    public async Task Full_queue_drops_and_counts_without_blocking_the_caller()
    {
        var options = Options("http://127.0.0.1:9", o => o.MaxQueueSize = 10);
        // Not started: nothing drains the queue, so the bound is exact.
        await using var client = new VigilClient(options, null, autoStart: false);
        EndSpans(client, 100);

        var stats = client.Stats;
        Assert.Equal(10, stats.Enqueued);
        Assert.Equal(90, stats.Dropped);
        Assert.Equal(10, stats.Queued);
    }

    [Fact]
    public async Task A_hanging_server_never_blocks_the_caller_and_shutdown_gives_up_after_its_timeout()
    {
        await using var server = await FakeVigilServer.StartAsync(async (_, ctx) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted);
            return null;
        });
        var client = new VigilClient(Options(server.Url, o =>
        {
            o.MaxQueueSize = 50;
            o.BatchSize = 10;
            o.Timeout = TimeSpan.FromSeconds(20);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        }));
        var ended = 0;
        await WaitUntil(() => { EndSpans(client, 1); ended++; return server.Requests > 0; });
        EndSpans(client, 500);   // returns although the exporter is stuck on the first request
        ended += 500;

        var stats = client.Stats;
        Assert.True(stats.Dropped >= 400, $"dropped {stats.Dropped}");
        Assert.True(stats.Queued <= 50);
        await client.DisposeAsync();   // gives up after ShutdownTimeout; what is left counts as dropped
        stats = client.Stats;
        Assert.Equal(0, stats.Exported);
        Assert.Equal(ended, stats.Dropped);   // every span is accounted for
        Assert.Equal(0, stats.Queued);
    }

    [Fact]
    public async Task Shutdown_delivers_what_was_queued()
    {
        await using var server = await FakeVigilServer.StartAsync();
        var client = new VigilClient(Options(server.Url, o => o.FlushInterval = TimeSpan.FromMinutes(1)));
        var ids = EndSpans(client, 7);
        await client.ShutdownAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ids.Order(), server.Delivered.Keys.Order());
        // After shutdown nothing is accepted, but nothing throws either.
        EndSpans(client, 1);
        Assert.Equal(1, client.Stats.Dropped);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_producers_on_a_small_queue_lose_and_duplicate_nothing()
    {
        // The queue is a lock-free ring: many threads claim slots while the sender drains it.
        var (client, transport) = TestClients.Capturing(o => { o.MaxQueueSize = 64; o.BatchSize = 16; });
        const int threads = 4, perThread = 5000;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (var i = 0; i < perThread; i++) client.StartSpan("p", SpanKind.Tool).End();
        });
        await client.ShutdownAsync(TimeSpan.FromSeconds(30));

        var stats = client.Stats;
        Assert.Equal(threads * perThread, stats.Enqueued + stats.Dropped);
        Assert.Equal(stats.Enqueued, stats.Exported);
        Assert.Equal(0, stats.Queued);
        var ids = transport.Spans.Select(s => s.Str("span_id")).ToList();
        Assert.Equal(stats.Exported, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_flush_racing_shutdown_always_completes()
    {
        // A flush that checks the shutdown flag just before shutdown sets it must still complete, even when the
        // sender loop has already drained and exited by the time the flush registers itself.
        for (var round = 0; round < 100; round++)
        {
            var (client, _) = TestClients.Capturing();
            var stop = 0;
            var flushes = new ConcurrentQueue<Task>();
            var flushers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(() =>
            {
                while (Volatile.Read(ref stop) == 0) flushes.Enqueue(client.ForceFlushAsync(Ct));
            }, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            await Task.Delay(1, Ct);
            await client.ShutdownAsync(TimeSpan.FromSeconds(10));
            Volatile.Write(ref stop, 1);
            await Task.WhenAll(flushers);

            var all = Task.WhenAll(flushes);
            var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), Ct));
            Assert.True(ReferenceEquals(finished, all), $"round {round}: a ForceFlushAsync never completed");
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Batches_are_split_at_batch_size()
    {
        var (client, transport) = TestClients.Capturing(o => { o.BatchSize = 4; o.FlushInterval = TimeSpan.FromMinutes(1); });
        await using var _ = client;
        EndSpans(client, 10);
        await client.ForceFlushAsync(Ct);
        Assert.Equal(10, transport.Spans.Count);
        Assert.All(transport.Batches, b => Assert.True(b.GetProperty("spans").GetArrayLength() <= 4));
    }

    [Fact]
    public async Task Large_fields_are_truncated_with_a_marker()
    {
        var (client, transport) = TestClients.Capturing(o => o.MaxFieldBytes = 1024);
        await using var _ = client;
        using (var span = client.StartSpan("big", input: new string('x', 5000)))
        {
            span.SetOutput(new { text = new string('y', 5000) });
        }
        await client.ForceFlushAsync(Ct);
        var big = transport.Single("big");
        var input = big.GetProperty("input").GetProperty("value").GetString()!;
        Assert.EndsWith("…[truncated]", input);
        Assert.True(input.Length < 1100);
        var output = big.GetProperty("output");
        Assert.True(output.GetProperty("_truncated").GetBoolean());
        Assert.EndsWith("…[truncated]", output.GetProperty("preview").GetString());
    }

    private sealed class Node
    {
        public string Name { get; set; } = "n";
        public Node? Next { get; set; }
    }

    [Fact]
    public async Task Unserializable_values_are_reported_without_losing_the_batch()
    {
        var (client, transport) = TestClients.Capturing();
        await using var _ = client;
        var cyclic = new Node();
        cyclic.Next = cyclic;
        using (var span = client.StartSpan("cyclic", input: cyclic)) span.SetOutput(new { ok = true });
        client.StartSpan("fine").End();
        await client.ForceFlushAsync(Ct);
        Assert.StartsWith("not serializable", transport.Single("cyclic").GetProperty("input").Str("_error"));
        Assert.True(transport.Single("cyclic").GetProperty("output").GetProperty("ok").GetBoolean());
        Assert.Equal("ok", transport.Single("fine").Str("status"));
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        var e = Assert.Throws<ArgumentException>(() => new VigilClient(new VigilOptions { Endpoint = "http://x", ApiKey = "k", BatchSize = 0 }));
        Assert.Contains("BatchSize", e.Message);
        e = Assert.Throws<ArgumentException>(() => new VigilClient(new VigilOptions { Endpoint = "not a url", ApiKey = "k" }));
        Assert.Contains("Endpoint", e.Message);
        e = Assert.Throws<ArgumentException>(() => new VigilClient(new VigilOptions { Endpoint = "http://x", ApiKey = "", MaxQueueSize = 5 }));
        Assert.Contains("ApiKey", e.Message);
        // The queue's slot array is allocated up front (rounded up to a power of two): a huge size is refused
        // by validation, not by an allocation failure in the constructor.
        e = Assert.Throws<ArgumentException>(() => new VigilClient(new VigilOptions { Endpoint = "http://x", ApiKey = "k", MaxQueueSize = int.MaxValue }));
        Assert.Contains("MaxQueueSize", e.Message);
        // Disabled needs nothing and sends nothing.
        var disabled = new VigilClient(new VigilOptions { Enabled = false, Endpoint = null, ApiKey = null });
        disabled.StartSpan("x").End();
        Assert.Equal(default, disabled.Stats);
    }
}
