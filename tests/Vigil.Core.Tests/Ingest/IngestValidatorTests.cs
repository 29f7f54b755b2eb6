using Vigil.Core.Ingest;

namespace Vigil.Core.Tests.Ingest;

public class IngestValidatorTests
{
    private static List<IngestError> Validate(SpanInput span)
    {
        var errors = new List<IngestError>();
        IngestValidator.Validate(span, 7, errors);
        return errors;
    }

    [Fact]
    public void A_minimal_span_is_valid() => Assert.Empty(Validate(new SpanInput { SpanId = "s" }));

    [Theory]
    [InlineData(null, "span_id")]
    [InlineData("", "span_id")]
    public void Span_id_is_required(string? id, string field) =>
        Assert.Equal(field, Assert.Single(Validate(new SpanInput { SpanId = id })).Field);

    [Fact]
    public void Lengths_are_limited()
    {
        var errors = Validate(new SpanInput { SpanId = new string('s', 129), TraceId = new string('t', 129), Name = new string('n', 513) });
        Assert.Equal(["span_id", "trace_id", "name"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal(7, e.SpanIndex));
        Assert.Equal("spans[7].span_id", errors[0].Path);
    }

    [Fact]
    public void Kind_and_status_come_from_their_sets()
    {
        var errors = Validate(new SpanInput { SpanId = "s", Kind = "LLM", Status = "failed" });
        Assert.Equal(["kind", "status"], errors.Select(e => e.Field));
    }

    [Fact]
    public void End_before_start_is_rejected()
    {
        var t = DateTimeOffset.UtcNow;
        Assert.Equal("end_time", Assert.Single(Validate(new SpanInput { SpanId = "s", StartTime = t, EndTime = t.AddSeconds(-1) })).Field);
    }

    [Fact]
    public void Negative_usage_and_cost_are_rejected()
    {
        var errors = Validate(new SpanInput { SpanId = "s", InputTokens = -1, OutputTokens = -2, CostUsd = -0.1 });
        Assert.Equal(3, errors.Count);
    }
}
