using System.Text;
using Vigil.Core.Ingest;

namespace Vigil.Core.Tests.Ingest;

public class NativeBatchParserTests
{
    private static IngestBatch Parse(string json, IngestOptions? options = null) =>
        NativeBatchParser.Parse(Encoding.UTF8.GetBytes(json), options ?? new IngestOptions());

    [Fact]
    public void Reads_python_sdk_openai_batch_with_typed_llm_fields()
    {
        var batch = Parse(Fixtures.Read("native/python-sdk-openai.json"));
        Assert.Empty(batch.Errors);
        Assert.Equal(3, batch.Spans.Count);
        var llm = batch.Spans[2];
        Assert.Equal("llm", llm.Kind);
        Assert.Equal("gpt-4o-mini-2024-07-18", llm.Model); // output.model (what answered) wins over input.model
        Assert.Equal(1200, llm.InputTokens);
        Assert.Equal(300, llm.OutputTokens);
        Assert.Contains("\"messages\"", llm.Input);
    }

    [Fact]
    public void Reads_anthropic_usage_names()
    {
        var batch = Parse(Fixtures.Read("native/python-sdk-anthropic.json"));
        var llm = batch.Spans[1];
        Assert.Equal("claude-3-5-sonnet-20241022", llm.Model);
        Assert.Equal(2000, llm.InputTokens);
        Assert.Equal(100, llm.OutputTokens);
    }

    [Fact]
    public void Timestamp_without_offset_is_utc()
    {
        var batch = Parse("""{"spans":[{"span_id":"a","start_time":"2026-01-01T10:00:00","end_time":"2026-01-01T10:00:01.5+02:00"}]}""");
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), batch.Spans[0].StartTime);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 1, 500, TimeSpan.Zero), batch.Spans[0].EndTime);
    }

    [Fact]
    public void Native_fields_win_over_conventions()
    {
        var batch = Parse("""{"spans":[{"span_id":"a","model":"m-native","provider":"acme","usage":{"input_tokens":1,"output_tokens":2},"cost_usd":0.5,"input":{"model":"m-in"},"output":{"model":"m-out","usage":{"prompt_tokens":10,"completion_tokens":20}}}]}""");
        var s = batch.Spans[0];
        Assert.Equal(("m-native", "acme", 1L, 2L, 0.5), (s.Model, s.Provider, s.InputTokens!.Value, s.OutputTokens!.Value, s.CostUsd!.Value));
    }

    [Fact]
    public void Type_errors_are_collected_per_span_and_field()
    {
        var batch = Parse("""{"spans":[{"span_id":1},{"span_id":"ok","input":"text","events":{},"start_time":"yesterday"},"notanobject"]}""");
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 0, Field: "span_id" });
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 1, Field: "input" });
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 1, Field: "events" });
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 1, Field: "start_time" });
        Assert.Contains(batch.Errors, e => e is { SpanIndex: 2, Field: "span" });
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var batch = Parse("""{"spans":[{"span_id":"a","future_field":{"x":1}}],"sdk_version":"9.9"}""");
        Assert.Empty(batch.Errors);
    }

    [Fact]
    public void Oversized_field_names_the_limit()
    {
        var big = new string('x', 2000);
        var batch = Parse("""{"spans":[{"span_id":"a","output":{"content":"BIG"}}]}""".Replace("BIG", big), new IngestOptions { MaxFieldBytes = 1024 });
        var error = Assert.Single(batch.Errors);
        Assert.Equal("output", error.Field);
        Assert.Contains("MaxFieldBytes", error.Message);
    }

    [Fact]
    public void Too_deep_json_is_rejected_with_the_limit()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        var ex = Assert.Throws<IngestFormatException>(() => Parse("""{"spans":[{"span_id":"a","input":DEEP}]}""".Replace("DEEP", deep)));
        Assert.Equal("Vigil:Ingest:MaxJsonDepth", ex.Limit);
    }

    [Fact]
    public void Too_many_spans_is_rejected_with_the_limit()
    {
        var spans = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"span_id":"s{{i}}"}"""));
        var ex = Assert.Throws<IngestFormatException>(() => Parse($$"""{"spans":[{{spans}}]}"""));
        Assert.Equal("Vigil:Ingest:MaxSpansPerBatch", ex.Limit);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"resourceSpans":[]}""")]
    [InlineData("""{"spans":{}}""")]
    public void Bodies_that_are_not_a_batch_are_format_errors(string body) =>
        Assert.Throws<IngestFormatException>(() => Parse(body));
}
