using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;

namespace Vigil.Core.Tests.Ingest.Otlp;

public sealed class OtlpMapperTests
{
    private static readonly IngestOptions Limits = new();

    private static IngestBatch MapFixture(string name) =>
        OtlpMapper.Map(OtlpJsonReader.Read(Fixtures.Bytes($"otlp/{name}"), Limits), Limits);

    private static JsonElement Json(string? text) => JsonDocument.Parse(text!).RootElement;

    [Fact]
    public void Maps_ids_times_status_kind_and_metadata()
    {
        var batch = MapFixture("spec-example.json");
        Assert.Empty(batch.Errors);
        var (child, root) = (batch.Spans[0], batch.Spans[1]);

        Assert.Equal("5b8efff798038103d269b633813fc60c", child.TraceId);
        Assert.Equal("eee19b7ec3c1b174", child.SpanId);
        Assert.Equal("eee19b7ec3c1b173", child.ParentSpanId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal(child.TraceId, root.TraceId);
        Assert.Equal("I'm a server span", child.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1544712660), child.StartTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1544712661), child.EndTime);
        Assert.Equal("error", child.Status);
        Assert.Equal("ok", root.Status);
        Assert.Equal("custom", child.Kind);

        var meta = Json(child.Metadata);
        Assert.Equal("my.service", meta.GetProperty("service.name").GetString());
        Assert.Equal("my.library", meta.GetProperty("otel.scope.name").GetString());
        Assert.Equal("server", meta.GetProperty("otel.span_kind").GetString());
        Assert.Equal("test", meta.GetProperty("resource").GetProperty("deployment.environment").GetString());
        var attrs = meta.GetProperty("attributes");
        Assert.Equal("some value", attrs.GetProperty("my.span.attr").GetString());
        Assert.Equal(500, attrs.GetProperty("http.status_code").GetInt64());
        Assert.Equal(0.25, attrs.GetProperty("ratio").GetDouble());
        Assert.Equal(JsonValueKind.False, attrs.GetProperty("cached").ValueKind);
        Assert.Equal("""["a",2]""", attrs.GetProperty("tags").GetRawText());
        Assert.Equal("v", attrs.GetProperty("nested").GetProperty("k").GetString());
    }

    [Fact]
    public void An_exception_event_becomes_the_span_error()
    {
        var child = MapFixture("spec-example.json").Spans[0];
        var ev = Assert.Single(Json(child.Events).EnumerateArray());
        Assert.Equal("exception", ev.GetProperty("name").GetString());
        Assert.Equal(new DateTimeOffset(2018, 12, 13, 14, 51, 0, 500, TimeSpan.Zero), ev.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("boom", ev.GetProperty("attributes").GetProperty("exception.message").GetString());

        var error = Json(child.Metadata).GetProperty("error");
        Assert.Equal("System.InvalidOperationException", error.GetProperty("type").GetString());
        Assert.Equal("boom", error.GetProperty("message").GetString());
        Assert.Equal("at Foo.Bar()", error.GetProperty("stacktrace").GetString());
    }

    [Fact]
    public void An_exception_event_on_an_unset_span_makes_it_an_error_but_an_explicit_OK_stands()
    {
        Span Make(Status.Types.StatusCode code) => new()
        {
            TraceId = ByteString.CopyFrom(new byte[16] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }),
            SpanId = ByteString.CopyFrom(new byte[8] { 1, 0, 0, 0, 0, 0, 0, 0 }),
            Name = "s",
            Status = new Status { Code = code },
            Events = { new Span.Types.Event { Name = "exception", Attributes = { Kv("exception.message", "x") } } },
        };
        Assert.Equal("error", Map(Make(Status.Types.StatusCode.Unset)).Spans[0].Status);
        Assert.Equal("ok", Map(Make(Status.Types.StatusCode.Ok)).Spans[0].Status);
    }

    [Fact]
    public void GenAI_attributes_give_an_llm_span_with_a_replayable_input()
    {
        var batch = MapFixture("genai-chat.json");
        Assert.Empty(batch.Errors);
        var s = Assert.Single(batch.Spans);

        Assert.Equal("llm", s.Kind);
        Assert.Equal("gpt-4o-mini-2024-07-18", s.Model);
        Assert.Equal("openai", s.Provider);
        Assert.Equal(42, s.InputTokens);
        Assert.Equal(7, s.OutputTokens);

        var input = Json(s.Input);
        Assert.Equal("gpt-4o-mini", input.GetProperty("model").GetString());
        Assert.Equal(0.2, input.GetProperty("temperature").GetDouble());
        Assert.Equal(256, input.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.9, input.GetProperty("top_p").GetDouble());
        Assert.Equal("""["END"]""", input.GetProperty("stop").GetRawText());
        var messages = input.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(4, messages.Length);
        Assert.Equal(("system", "You are terse."), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        Assert.Equal(("user", "What is the weather in Paris?"), (messages[1].GetProperty("role").GetString(), messages[1].GetProperty("content").GetString()));
        var call = messages[2].GetProperty("tool_calls")[0];
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool", messages[3].GetProperty("role").GetString());
        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("rainy, 57°F", messages[3].GetProperty("content").GetString());

        var output = Json(s.Output);
        Assert.Equal("Rainy, \n57°F.", output.GetProperty("content").GetString());
        Assert.Equal("gpt-4o-mini-2024-07-18", output.GetProperty("model").GetString());
        Assert.Equal("stop", output.GetProperty("finish_reason").GetString());
        Assert.Equal(42, output.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(7, output.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        // Message content is in input/output, not repeated in metadata; the typed attributes stay there.
        var attrs = Json(s.Metadata).GetProperty("attributes");
        Assert.False(attrs.TryGetProperty("gen_ai.input.messages", out _));
        Assert.False(attrs.TryGetProperty("gen_ai.output.messages", out _));
        Assert.Equal("gpt-4o-mini", attrs.GetProperty("gen_ai.request.model").GetString());
        // Stored as readable UTF-8, not \u escapes.
        Assert.Contains("57°F", s.Input);
    }

    [Fact]
    public void OpenInference_attributes_map_kinds_messages_parameters_and_tokens()
    {
        var batch = MapFixture("openinference-llm.json");
        Assert.Empty(batch.Errors);
        var (chain, retriever, llm) = (batch.Spans[0], batch.Spans[1], batch.Spans[2]);

        Assert.Equal("chain", chain.Kind);
        Assert.Equal("Who wrote Hamlet?", Json(chain.Input).GetProperty("question").GetString());
        Assert.Equal("Shakespeare", Json(chain.Output).GetProperty("content").GetString());
        Assert.Equal("retriever", retriever.Kind);
        Assert.Equal("Who wrote Hamlet?", Json(retriever.Input).GetProperty("value").GetString());

        Assert.Equal("llm", llm.Kind);
        Assert.Equal("gpt-4o", llm.Model);
        Assert.Equal("openai", llm.Provider);
        Assert.Equal(20, llm.InputTokens);
        Assert.Equal(3, llm.OutputTokens);
        var input = Json(llm.Input);
        Assert.Equal("gpt-4o", input.GetProperty("model").GetString());
        Assert.Equal(0.7, input.GetProperty("temperature").GetDouble());
        Assert.Equal(100, input.GetProperty("max_tokens").GetInt32());
        var messages = input.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Who wrote Hamlet?", messages[1].GetProperty("content").GetString());
        Assert.Equal("Shakespeare", Json(llm.Output).GetProperty("content").GetString());
        Assert.False(Json(llm.Metadata).GetProperty("attributes").TryGetProperty("llm.input_messages.1.message.content", out _));
    }

    [Fact]
    public void The_older_per_event_GenAI_form_is_read_too()
    {
        var s = Assert.Single(MapFixture("genai-events.json").Spans);
        Assert.Equal("llm", s.Kind);
        Assert.Equal("openai", s.Provider);
        Assert.Equal("ok", s.Status);
        var messages = Json(s.Input).GetProperty("messages");
        Assert.Equal(("system", "Be nice."), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        Assert.Equal(("user", "Hi!"), (messages[1].GetProperty("role").GetString(), messages[1].GetProperty("content").GetString()));
        var output = Json(s.Output);
        Assert.Equal("Hello", output.GetProperty("content").GetString());
        Assert.Equal("stop", output.GetProperty("finish_reason").GetString());
        Assert.Equal(3, Json(s.Events).GetArrayLength());
    }

    [Fact]
    public void Invalid_spans_get_errors_with_their_index_only()
    {
        var batch = MapFixture("partly-invalid.json");
        Assert.Equal(5, batch.Spans.Count);
        Assert.All(batch.Errors, e => Assert.NotNull(e.SpanIndex));
        Assert.Equal([1, 2, 3], batch.Errors.Select(e => e.SpanIndex!.Value).Distinct().Order());
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 1, Field: "trace_id" });
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 2, Field: "span_id" });
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 3, Field: "name" });
    }

    [Theory]
    [InlineData("openinference.span.kind", "LLM", "llm")]
    [InlineData("openinference.span.kind", "TOOL", "tool")]
    [InlineData("openinference.span.kind", "CHAIN", "chain")]
    [InlineData("openinference.span.kind", "RETRIEVER", "retriever")]
    [InlineData("openinference.span.kind", "EMBEDDING", "retriever")]
    [InlineData("openinference.span.kind", "AGENT", "agent")]
    [InlineData("openinference.span.kind", "GUARDRAIL", "custom")]
    [InlineData("gen_ai.operation.name", "chat", "llm")]
    [InlineData("gen_ai.operation.name", "completion", "llm")]
    [InlineData("gen_ai.operation.name", "text_completion", "llm")]
    [InlineData("gen_ai.operation.name", "generate_content", "llm")]
    [InlineData("gen_ai.operation.name", "generate", "llm")]
    [InlineData("gen_ai.operation.name", "embeddings", "retriever")]
    [InlineData("gen_ai.operation.name", "execute_tool", "tool")]
    [InlineData("gen_ai.operation.name", "invoke_agent", "agent")]
    [InlineData("gen_ai.operation.name", "create_agent", "agent")]
    [InlineData("http.method", "GET", "custom")]
    public void Kind_comes_from_OpenInference_or_GenAI(string key, string value, string kind)
    {
        Assert.Equal(kind, Map(ValidSpan(Kv(key, value))).Spans[0].Kind);
    }

    [Fact]
    public void Model_prefers_response_then_request_then_llm_model_name_and_provider_prefers_provider_name()
    {
        var s = Map(ValidSpan(Kv("llm.model_name", "c"), Kv("gen_ai.request.model", "b"), Kv("gen_ai.system", "sys"))).Spans[0];
        Assert.Equal("b", s.Model);
        Assert.Equal("sys", s.Provider);
        s = Map(ValidSpan(Kv("gen_ai.response.model", "a"), Kv("gen_ai.request.model", "b"), Kv("gen_ai.provider.name", "p"), Kv("gen_ai.system", "sys"))).Spans[0];
        Assert.Equal("a", s.Model);
        Assert.Equal("p", s.Provider);
        Assert.Equal("c", Map(ValidSpan(Kv("llm.model_name", "c"))).Spans[0].Model);
    }

    [Fact]
    public void A_tool_span_records_arguments_and_result()
    {
        var s = Map(ValidSpan(Kv("gen_ai.operation.name", "execute_tool"), Kv("gen_ai.tool.name", "get_weather"),
            Kv("gen_ai.tool.call.arguments", """{"city":"Paris"}"""), Kv("gen_ai.tool.call.result", "rainy"))).Spans[0];
        Assert.Equal("tool", s.Kind);
        var input = Json(s.Input);
        Assert.Equal("get_weather", input.GetProperty("name").GetString());
        Assert.Equal("Paris", input.GetProperty("arguments").GetProperty("city").GetString());
        Assert.Equal("rainy", Json(s.Output).GetProperty("content").GetString());
    }

    [Fact]
    public void Too_many_spans_names_the_limit()
    {
        var request = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans() } } } };
        for (var i = 0; i < 3; i++) request.ResourceSpans[0].ScopeSpans[0].Spans.Add(ValidSpan());
        var ex = Assert.Throws<IngestFormatException>(() => OtlpMapper.Map(request, new IngestOptions { MaxSpansPerBatch = 2 }));
        Assert.Equal("Vigil:Ingest:MaxSpansPerBatch", ex.Limit);
    }

    [Fact]
    public void An_oversized_field_rejects_only_that_span()
    {
        var big = ValidSpan(Kv("gen_ai.operation.name", "chat"), Kv("input.value", new string('x', 5000)));
        var batch = Map(big, new IngestOptions { MaxFieldBytes = 1024 });
        var error = Assert.Single(batch.Errors);
        Assert.Equal((0, "input"), (error.SpanIndex, error.Field));
        Assert.Contains("Vigil:Ingest:MaxFieldBytes", error.Message);
    }

    [Fact]
    public void An_unfinished_span_has_no_end_time_and_an_all_zero_parent_means_root()
    {
        var span = ValidSpan();
        span.EndTimeUnixNano = 0;
        span.ParentSpanId = ByteString.CopyFrom(new byte[8]);
        var s = Map(span).Spans[0];
        Assert.Null(s.EndTime);
        Assert.Null(s.ParentSpanId);
        Assert.Empty(Map(span).Errors);
    }

    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static Span ValidSpan(params KeyValue[] attributes) => new()
    {
        TraceId = ByteString.CopyFrom(Convert.FromHexString("0af7651916cd43dd8448eb211c80319c")),
        SpanId = ByteString.CopyFrom(Convert.FromHexString("b7ad6b7169203331")),
        Name = "span",
        StartTimeUnixNano = 1_767_225_600_000_000_000,
        EndTimeUnixNano = 1_767_225_601_000_000_000,
        Attributes = { attributes },
    };

    private static IngestBatch Map(Span span, IngestOptions? limits = null) => OtlpMapper.Map(
        new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { span } } } } } },
        limits ?? Limits);
}
