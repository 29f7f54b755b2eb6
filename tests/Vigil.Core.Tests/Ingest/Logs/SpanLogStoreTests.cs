using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Logs;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Tests.Ingest.Logs;

/// <summary>The pending span logs: kept for their span, expired when it never comes, folded by the sweep after a race.</summary>
public class SpanLogStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private CoreTestHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await CoreTestHost.StartAsync(configure: (s, _) => s.AddSingleton<TimeProvider>(_time));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static SpanLogBatch Conversation(string traceId, string spanId, string body = "Hello there")
    {
        var record = new LogRecord
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(traceId)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(spanId)),
            TimeUnixNano = 1,
            EventName = "gen_ai.user.message",
            Body = new AnyValue { StringValue = body },
        };
        return OtlpLogMapper.Map(new ExportLogsServiceRequest { ResourceLogs = { new ResourceLogs { ScopeLogs = { new ScopeLogs { LogRecords = { record } } } } } },
            new IngestOptions());
    }

    private Task IngestSpanAsync(string traceId, string spanId) => _host.IngestJsonAsync(
        $$$"""{"spans":[{"span_id":"{{{spanId}}}","trace_id":"{{{traceId}}}","name":"chat","kind":"llm","input":{"model":"gpt-4o","messages":[]}}]}""");

    private async Task<int> PendingAsync()
    {
        await using var db = await _host.Db();
        return await db.PendingSpanLogs.CountAsync();
    }

    [Fact]
    public async Task Log_content_folded_into_a_span_is_found_by_q_whichever_arrives_first()
    {
        const string spanFirst = "33333333333333333333333333333333", logsFirst = "44444444444444444444444444444444", span = "3333333333333333";
        var store = _host.Get<SpanLogStore>();
        await IngestSpanAsync(spanFirst, span);
        Assert.Equal(1, await store.AddAsync("p1", Conversation(spanFirst, span, "persimmon after"), default));
        await store.AddAsync("p1", Conversation(logsFirst, span, "persimmon before"), default);
        await IngestSpanAsync(logsFirst, span); // folds the waiting logs after its commit

        var queries = _host.Get<Vigil.Core.Traces.TraceQueryService>();
        var found = await queries.ListAsync("p1", new Vigil.Core.Traces.TraceQuery { Q = "persimmon" });
        Assert.Equal([spanFirst, logsFirst], found.Items.Select(t => t.TraceId).Order());
        Assert.Equal([logsFirst], (await queries.ListAsync("p1", new Vigil.Core.Traces.TraceQuery { Q = "persimmon before" })).Items.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Logs_wait_for_their_span_until_they_expire()
    {
        var store = _host.Get<SpanLogStore>();
        await store.AddAsync("p1", Conversation("11111111111111111111111111111111", "1111111111111111"), default);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal((0, 0), await store.SweepAsync(default));
        Assert.Equal(1, await PendingAsync());

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal((1, 0), await store.SweepAsync(default));
        Assert.Equal(0, await PendingAsync());

        // A span that arrives after its logs expired gets nothing.
        await IngestSpanAsync("11111111111111111111111111111111", "1111111111111111");
        await using var db = await _host.Db();
        Assert.DoesNotContain("Hello there", (await db.Spans.SingleAsync()).Input);
    }

    [Fact]
    public async Task The_sweep_folds_logs_whose_span_arrived_without_them()
    {
        const string trace = "22222222222222222222222222222222", span = "2222222222222222";
        var store = _host.Get<SpanLogStore>();
        await IngestSpanAsync(trace, span);
        // As if another writer stored the logs while the span's batch was committing: a row never folded.
        await using (var db = await _host.Db())
        {
            db.PendingSpanLogs.Add(new PendingSpanLog
            {
                ProjectId = "p1", TraceId = trace, SpanId = span, Payload = Conversation(trace, span).Spans[(trace, span)].ToJson(),
                CreatedAtUs = 1, UpdatedAtUs = Vigil.Core.Storage.UnixMicros.Now(_time),
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal((0, 1), await store.SweepAsync(default));
        await using (var db = await _host.Db())
        {
            Assert.Contains("Hello there", (await db.Spans.SingleAsync()).Input);
            Assert.NotNull((await db.PendingSpanLogs.SingleAsync()).AppliedAtUs);
        }
        // Folded rows are not folded again by the next sweep.
        Assert.Equal((0, 0), await store.SweepAsync(default));
    }
}
