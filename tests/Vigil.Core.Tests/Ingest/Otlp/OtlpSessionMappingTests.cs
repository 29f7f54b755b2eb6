using Google.Protobuf;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Core.Scores;

namespace Vigil.Core.Tests.Ingest.Otlp;

/// <summary>OTLP session/user attributes (span over resource) and gen_ai.evaluation.result events as scores.</summary>
public sealed class OtlpSessionMappingTests
{
    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
    private static KeyValue Kv(string key, double value) => new() { Key = key, Value = new AnyValue { DoubleValue = value } };

    private static Span NewSpan(params KeyValue[] attributes) => new()
    {
        TraceId = ByteString.CopyFrom(Convert.FromHexString("0af7651916cd43dd8448eb211c80319c")),
        SpanId = ByteString.CopyFrom(Convert.FromHexString("b7ad6b7169203331")),
        Name = "chat",
        StartTimeUnixNano = 1_767_225_600_000_000_000,
        EndTimeUnixNano = 1_767_225_601_000_000_000,
        Attributes = { attributes },
    };

    private static SpanInput Map(Span span, params KeyValue[] resource) => OtlpMapper.Map(new ExportTraceServiceRequest
    {
        ResourceSpans = { new ResourceSpans { Resource = new Resource { Attributes = { resource } }, ScopeSpans = { new ScopeSpans { Spans = { span } } } } },
    }, new IngestOptions()).Spans[0];

    [Fact]
    public void Session_and_user_come_from_the_span_or_its_resource()
    {
        var s = Map(NewSpan(Kv("gen_ai.conversation.id", "conv-9"), Kv("enduser.id", "e-1")));
        Assert.Equal(("conv-9", "e-1"), (s.SessionId, s.UserId));
        Assert.Contains("gen_ai.conversation.id", s.Metadata); // kept in the metadata too

        var preferred = Map(NewSpan(Kv("gen_ai.conversation.id", "conv-9"), Kv("session.id", "sess-1"), Kv("enduser.id", "e-1"), Kv("user.id", "u-1")));
        Assert.Equal(("sess-1", "u-1"), (preferred.SessionId, preferred.UserId));

        var fromResource = Map(NewSpan(Kv("user.id", "span-user")), Kv("session.id", "resource-session"), Kv("user.id", "resource-user"));
        Assert.Equal(("resource-session", "span-user"), (fromResource.SessionId, fromResource.UserId));

        var tooLong = Map(NewSpan(Kv("session.id", new string('x', 300))));
        Assert.Null(tooLong.SessionId);
    }

    [Fact]
    public void Evaluation_result_events_become_otel_scores()
    {
        var span = NewSpan();
        span.Events.Add(new Span.Types.Event
        {
            Name = "gen_ai.evaluation.result", TimeUnixNano = 1_767_225_602_000_000_000,
            Attributes = { Kv("gen_ai.evaluation.name", "relevance"), Kv("gen_ai.evaluation.score.value", 0.25), Kv("gen_ai.evaluation.score.label", "poor"),
                Kv("gen_ai.evaluation.explanation", "off topic") },
        });
        span.Events.Add(new Span.Types.Event { Name = "gen_ai.evaluation.result", Attributes = { Kv("gen_ai.evaluation.name", "tone"), Kv("gen_ai.evaluation.score.label", "polite") } });
        span.Events.Add(new Span.Types.Event { Name = "gen_ai.evaluation.result", Attributes = { Kv("gen_ai.evaluation.score.value", 1) } }); // no name: not a score
        var s = Map(span);
        Assert.Equal(2, s.Scores!.Count);
        var relevance = s.Scores[0];
        Assert.Equal(("relevance", 0.25, "poor", "off topic", ScoreSource.Otel), (relevance.Name, (double)relevance.Value!, relevance.Label, relevance.Comment, relevance.Source));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_767_225_602), relevance.CreatedAt);
        Assert.Equal(("tone", (object?)"polite", (string?)null), (s.Scores[1].Name, s.Scores[1].Value, s.Scores[1].Label));
        Assert.Contains("gen_ai.evaluation.result", s.Events); // the events stay on the span
    }
}
