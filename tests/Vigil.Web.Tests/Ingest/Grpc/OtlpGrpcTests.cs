using System.Net;
using Grpc.Core;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest.Grpc;

/// <summary>OTLP/gRPC TraceService/Export on its own HTTP/2 endpoint: auth, compression, partial success, limits.</summary>
public class OtlpGrpcTests(OtlpGrpcTests.SmallLimitsFactory factory) : IClassFixture<OtlpGrpcTests.SmallLimitsFactory>
{
    /// <summary>A 64 KiB body limit and 20 spans per request, so the limits are cheap to reach.</summary>
    public sealed class SmallLimitsFactory : GrpcVigilFactory
    {
        protected override void Configure()
        {
            With("Vigil:Ingest:MaxBodyBytes", "65536");
            With("Vigil:Ingest:MaxSpansPerBatch", "20");
        }
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).Take(bytes).ToArray());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Spans_sent_over_gRPC_are_stored_with_or_without_gzip(bool gzip)
    {
        var traceId = Hex(16);
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        var response = await client.ExportAsync(OtlpHttp.Request(OtlpHttp.Span(traceId, Hex(8), "root"), OtlpHttp.Span(traceId, Hex(8), "child")), gzip: gzip);
        Assert.Null(response.PartialSuccess);

        var trace = await (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        Assert.Equal(2, trace.GetProperty("span_count").GetInt32());
    }

    [Fact]
    public async Task A_partly_invalid_request_keeps_the_valid_spans_and_reports_partial_success()
    {
        var traceId = Hex(16);
        var bad = OtlpHttp.Span(traceId, Hex(8), "");
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        var response = await client.ExportAsync(OtlpHttp.Request(OtlpHttp.Span(traceId, Hex(8), "good"), bad));
        Assert.Equal(1, response.PartialSuccess.RejectedSpans);
        Assert.Contains("spans[1].name", response.PartialSuccess.ErrorMessage);
        var trace = await (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        Assert.Equal(1, trace.GetProperty("span_count").GetInt32());
    }

    [Theory]
    [InlineData(null, "An API key is required")]
    [InlineData("vgl_not_a_known_key_000000000000000000", "unknown or revoked")]
    public async Task Without_a_valid_key_the_call_is_UNAUTHENTICATED(string? key, string message)
    {
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpHttp.Request(OtlpHttp.Span(Hex(16), Hex(8), "s"))!, key));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains(message, ex.Status.Detail);
    }

    [Fact]
    public async Task The_key_may_come_as_authorization_metadata()
    {
        var traceId = Hex(16);
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        await client.ExportAsync(OtlpHttp.Request(OtlpHttp.Span(traceId, Hex(8), "s")), new Metadata { { "authorization", "Bearer " + VigilWebFactory.ApiKey } });
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey().GetAsync($"/v1/traces/{traceId}")).StatusCode);
    }

    [Fact]
    public async Task Over_the_span_limit_is_INVALID_ARGUMENT_naming_the_limit()
    {
        var traceId = Hex(16);
        var spans = Enumerable.Range(0, 21).Select(_ => OtlpHttp.Span(traceId, Hex(8), "s")).ToArray();
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpHttp.Request(spans)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("Vigil:Ingest:MaxSpansPerBatch", ex.Status.Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Over_the_body_limit_is_RESOURCE_EXHAUSTED_also_after_decompression(bool gzip)
    {
        var span = OtlpHttp.Span(Hex(16), Hex(8), "big");
        // 100 KB of one repeated letter: far under 64 KiB compressed, far over it decompressed.
        span.Attributes.Add(new KeyValue { Key = "blob", Value = new AnyValue { StringValue = new string('x', 100_000) } });
        using var client = new OtlpGrpcClient(factory.GrpcAddress);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpHttp.Request(span), gzip: gzip));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task The_gRPC_endpoint_serves_gRPC_only_and_the_HTTP_address_keeps_serving_the_API()
    {
        using var h2c = new HttpClient();
        var onGrpcPort = await h2c.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(factory.GrpcAddress, "/health"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        Assert.Equal(HttpStatusCode.NotFound, onGrpcPort.StatusCode);

        var http = Assert.Single(factory.HttpAddresses);
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync(new Uri(http, "/health"))).StatusCode);
    }
}
