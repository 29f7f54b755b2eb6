using System.Net;
using System.Text;
using Google.Protobuf;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Ingest;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>POST /v1/traces with OTLP/HTTP bodies (JSON and protobuf) through the in-memory test server.</summary>
public class OtlpEndpointTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    [Theory]
    [InlineData("spec-example.json", "5b8efff798038103d269b633813fc60c", 2)]
    [InlineData("genai-chat.json", "0af7651916cd43dd8448eb211c80319c", 1)]
    [InlineData("openinference-llm.json", "11111111111111111111111111111111", 3)]
    [InlineData("genai-events.json", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1)]
    public async Task OTLP_JSON_fixtures_are_accepted_with_an_empty_response(string fixture, string traceId, int spans)
    {
        var client = factory.ClientWithKey();
        var response = await client.PostAsync("/v1/traces", OtlpHttp.Json(Fixtures.Read($"otlp/{fixture}")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());

        var trace = await (await client.GetAsync($"/v1/traces/{traceId}")).JsonAsync();
        Assert.Equal(spans, trace.GetProperty("span_count").GetInt32());
    }

    [Fact]
    public async Task The_GenAI_fixture_is_stored_as_a_replayable_llm_span()
    {
        var client = factory.ClientWithKey();
        await client.PostAsync("/v1/traces", OtlpHttp.Json(Fixtures.Read("otlp/genai-chat.json")));
        var span = (await (await client.GetAsync("/v1/traces/0af7651916cd43dd8448eb211c80319c")).JsonAsync()).GetProperty("spans")[0];
        Assert.Equal("llm", span.GetProperty("kind").GetString());
        Assert.Equal("gpt-4o-mini-2024-07-18", span.GetProperty("model").GetString());
        Assert.Equal("openai", span.GetProperty("provider").GetString());
        Assert.Equal(42, span.GetProperty("input_tokens").GetInt64());
        Assert.Equal(1250, span.GetProperty("duration_ms").GetDouble());
        Assert.Equal("gpt-4o-mini", span.GetProperty("input").GetProperty("model").GetString());
        Assert.Equal(4, span.GetProperty("input").GetProperty("messages").GetArrayLength());
        Assert.Equal("chat-app", span.GetProperty("metadata").GetProperty("service.name").GetString());
    }

    [Fact]
    public async Task A_partly_invalid_request_keeps_the_valid_spans_and_reports_partial_success()
    {
        var client = factory.ClientWithKey();
        var response = await client.PostAsync("/v1/traces", OtlpHttp.Json(Fixtures.Read("otlp/partly-invalid.json")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partial = (await response.JsonAsync()).GetProperty("partialSuccess");
        // proto3 JSON: int64 as a string.
        Assert.Equal("3", partial.GetProperty("rejectedSpans").GetString());
        var message = partial.GetProperty("errorMessage").GetString()!;
        Assert.Contains("spans[1].trace_id", message);
        Assert.Contains("spans[2].span_id", message);
        Assert.Contains("spans[3].name", message);

        var trace = await (await client.GetAsync("/v1/traces/cccccccccccccccccccccccccccccccc")).JsonAsync();
        Assert.Equal(2, trace.GetProperty("span_count").GetInt32());
        Assert.Equal("good-1", trace.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Protobuf_partial_success_answers_protobuf()
    {
        var request = OtlpHttp.Request(
            OtlpHttp.Span("0102030405060708090a0b0c0d0e0f10", "0102030405060708", "ok-span"),
            OtlpHttp.Span("0102030405060708090a0b0c0d0e0f10", "0102030405060709", ""));
        var response = await factory.ClientWithKey().PostAsync("/v1/traces", OtlpHttp.Protobuf(request));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var body = await OtlpHttp.ReadProtobufAsync(response);
        Assert.Equal(1, body.PartialSuccess.RejectedSpans);
        Assert.Contains("name", body.PartialSuccess.ErrorMessage);
    }

    [Fact]
    public async Task Gzip_bodies_are_accepted_in_both_encodings()
    {
        var client = factory.ClientWithKey();
        var json = OtlpHttp.Content(Encoding.UTF8.GetBytes(Fixtures.Read("otlp/openinference-llm.json")), "application/json", gzip: true);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/traces", json)).StatusCode);

        var request = OtlpHttp.Request(OtlpHttp.Span("2102030405060708090a0b0c0d0e0f10", "2102030405060708", "gzipped"));
        var proto = OtlpHttp.Content(request.ToByteArray(), "application/x-protobuf", gzip: true);
        var response = await client.PostAsync("/v1/traces", proto);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await OtlpHttp.ReadProtobufAsync(response)).PartialSuccess);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/traces/2102030405060708090a0b0c0d0e0f10")).StatusCode);
    }

    [Fact]
    public async Task Undecodable_bodies_are_400_and_protobuf_errors_are_a_google_rpc_Status()
    {
        var client = factory.ClientWithKey();
        var garbage = OtlpHttp.Content([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1], "application/x-protobuf");
        var response = await client.PostAsync("/v1/traces", garbage);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var status = Vigil.Core.Ingest.Otlp.Proto.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, status.Code);
        Assert.NotEmpty(status.Message);

        var badJson = await client.PostAsync("/v1/traces", OtlpHttp.Json("""{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": 5}]}]}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal("application/problem+json", badJson.Content.Headers.ContentType?.MediaType);

        var notGzip = OtlpHttp.Content(Encoding.UTF8.GetBytes("{}"), "application/json");
        notGzip.Headers.ContentEncoding.Add("gzip");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/traces", notGzip)).StatusCode);
    }

    [Fact]
    public async Task Unsupported_media_type_and_content_encoding_are_415()
    {
        var client = factory.ClientWithKey();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await client.PostAsync("/v1/traces", OtlpHttp.Content([1, 2, 3], "application/octet-stream"))).StatusCode);
        var brotli = OtlpHttp.Json(Fixtures.Read("otlp/genai-chat.json"));
        brotli.Headers.ContentEncoding.Add("br");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("/v1/traces", brotli)).StatusCode);
    }

    [Theory]
    [InlineData("application/x-protobuf")]
    [InlineData("application/json")]
    public async Task A_bad_key_is_401(string mediaType)
    {
        var body = mediaType == "application/json"
            ? OtlpHttp.Json(Fixtures.Read("otlp/genai-chat.json"))
            : OtlpHttp.Protobuf(OtlpHttp.Request(OtlpHttp.Span("0102030405060708090a0b0c0d0e0f10", "0102030405060708", "x")));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", "vgl_not_a_real_key_000000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/v1/traces", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsync("/v1/traces", OtlpHttp.Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task Over_the_concurrency_limit_answers_503_with_Retry_After()
    {
        var limiter = factory.Get<IngestLimiter>();
        var leases = new List<IDisposable>();
        try
        {
            while (limiter.TryEnter() is { IsAcquired: true } lease) leases.Add(lease);
            Assert.Equal(limiter.Limit, leases.Count);
            var response = await factory.ClientWithKey().PostAsync("/v1/traces",
                OtlpHttp.Protobuf(OtlpHttp.Request(OtlpHttp.Span("3102030405060708090a0b0c0d0e0f10", "3102030405060708", "busy"))));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal(14, Vigil.Core.Ingest.Otlp.Proto.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Code);
        }
        finally
        {
            foreach (var lease in leases) lease.Dispose();
        }
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey().PostAsync("/v1/traces",
            OtlpHttp.Protobuf(OtlpHttp.Request(OtlpHttp.Span("3102030405060708090a0b0c0d0e0f10", "3102030405060708", "free"))))).StatusCode);
    }

    [Fact]
    public async Task Native_JSON_still_gets_201()
    {
        var response = await factory.ClientWithKey().PostTracesAsync("""{"spans":[{"span_id":"n1","trace_id":"native-otlp-coexist","name":"n"}]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
