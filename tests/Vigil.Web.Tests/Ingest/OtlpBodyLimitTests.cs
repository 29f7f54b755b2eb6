using System.Net;
using System.Text;

namespace Vigil.Web.Tests.Ingest;

public class OtlpBodyLimitTests(SmallBodyVigilFactory factory) : IClassFixture<SmallBodyVigilFactory>
{
    [Fact]
    public async Task A_gzip_body_that_expands_past_the_limit_is_413_naming_the_limit()
    {
        // 64 KiB of spaces compresses to well under 4 KiB but decompresses past it.
        var json = "{\"resourceSpans\": []" + new string(' ', 64 * 1024) + "}";
        var content = OtlpHttp.Content(Encoding.UTF8.GetBytes(json), "application/json", gzip: true);
        Assert.True(content.Headers.ContentLength < 4096);
        var response = await factory.ClientWithKey().PostAsync("/v1/traces", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Vigil:Ingest:MaxBodyBytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_protobuf_body_over_the_limit_is_413_with_a_status_naming_the_limit()
    {
        var span = OtlpHttp.Span("0102030405060708090a0b0c0d0e0f10", "0102030405060708", new string('x', 8000));
        var response = await factory.ClientWithKey().PostAsync("/v1/traces", OtlpHttp.Protobuf(OtlpHttp.Request(span)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var status = Vigil.Core.Ingest.Otlp.Proto.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Vigil:Ingest:MaxBodyBytes", status.Message);
    }
}
