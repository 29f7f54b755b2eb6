using System.Net;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>OTLP/HTTP spans of one conversation (gen_ai.conversation.id) form a session; evaluation events become otel scores.</summary>
public class OtlpSessionTests(VigilWebFactory factory) : IClassFixture<VigilWebFactory>
{
    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    [Fact]
    public async Task Turns_with_a_conversation_id_form_one_session_and_evaluations_are_scores()
    {
        var client = factory.ClientWithKey();
        for (var turn = 0; turn < 3; turn++)
        {
            var span = OtlpHttp.Span($"{turn + 1:x32}", "00000000000000a1", "chat gpt-4o");
            span.StartTimeUnixNano += (ulong)turn * 60_000_000_000;
            span.EndTimeUnixNano += (ulong)turn * 60_000_000_000;
            span.Attributes.Add(Kv("gen_ai.operation.name", "chat"));
            span.Attributes.Add(Kv("gen_ai.conversation.id", "otel-conv"));
            span.Events.Add(new Span.Types.Event
            {
                Name = "gen_ai.evaluation.result", TimeUnixNano = span.EndTimeUnixNano,
                Attributes = { Kv("gen_ai.evaluation.name", "relevance"), new KeyValue { Key = "gen_ai.evaluation.score.value", Value = new AnyValue { DoubleValue = 0.5 + turn / 10.0 } } },
            });
            var request = OtlpHttp.Request(span);
            request.ResourceSpans[0].Resource = new Resource { Attributes = { Kv("service.name", "otel-app"), Kv("enduser.id", "otel-user") } };
            var response = await client.PostAsync("/v1/traces", OtlpHttp.Protobuf(request));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var session = await (await client.GetAsync("/v1/sessions/otel-conv")).JsonAsync();
        Assert.Equal(3, session.GetProperty("trace_count").GetInt32());
        Assert.Equal(["otel-user"], session.GetProperty("user_ids").EnumerateArray().Select(u => u.GetString()));
        var traces = session.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()).ToList();
        Assert.Equal([$"{1:x32}", $"{2:x32}", $"{3:x32}"], traces);

        var trace = await (await client.GetAsync($"/v1/traces/{3:x32}")).JsonAsync();
        var score = Assert.Single(trace.GetProperty("scores").EnumerateArray());
        Assert.Equal(("relevance", "otel", "00000000000000a1"), (score.GetProperty("name").GetString(), score.GetProperty("source").GetString(), score.GetProperty("span_id").GetString()));
        Assert.Equal(0.7, score.GetProperty("value").GetDouble(), 9);
    }
}
