using Grpc.Core;
using Vigil.Web.Tests.Ingest.Logs;

namespace Vigil.Web.Tests.Ingest.Grpc;

/// <summary>OTLP/gRPC shares the ingest rate limits with OTLP/HTTP and answers them with UNAVAILABLE, which exporters retry.</summary>
public class OtlpGrpcLimitsTests(OtlpGrpcLimitsTests.RateLimitedFactory factory) : IClassFixture<OtlpGrpcLimitsTests.RateLimitedFactory>
{
    /// <summary>Two ingest requests per key per hour.</summary>
    public sealed class RateLimitedFactory : GrpcVigilFactory
    {
        protected override void Configure()
        {
            With("Vigil:RateLimits:IngestPerKey:PermitLimit", "2");
            With("Vigil:RateLimits:IngestPerKey:WindowSeconds", "3600");
        }
    }

    [Fact]
    public async Task Traces_and_logs_over_gRPC_and_HTTP_count_against_one_limit_per_key()
    {
        var key = await factory.CreateProjectAsync("grpc-rate");
        var (traceId, spanId) = (GenAiLogs.NewTraceId(), GenAiLogs.NewSpanId());
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        await client.ExportAsync(GenAiLogs.ChatSpan(traceId, spanId), key);
        Assert.Equal(System.Net.HttpStatusCode.OK,
            (await factory.ClientWithKey(key).PostAsync("/v1/logs", OtlpHttp.Protobuf(GenAiLogs.Conversation(traceId, spanId)))).StatusCode);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(GenAiLogs.Conversation(traceId, spanId), key));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("Rate limit", ex.Status.Detail);
        // Another key has its own window.
        await client.ExportAsync(GenAiLogs.ChatSpan(GenAiLogs.NewTraceId(), spanId));
    }
}
