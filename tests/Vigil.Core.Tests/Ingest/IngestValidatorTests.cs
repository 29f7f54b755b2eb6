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

    /// <summary>Found by fuzzing on PostgreSQL: a NUL in an id was stored as another id there, so the trace was not found by the id sent.</summary>
    [Fact]
    public void Ids_with_a_nul_character_are_refused() =>
        Assert.Equal(["span_id", "trace_id", "parent_span_id"],
            Validate(new SpanInput { SpanId = "s\0", TraceId = "t\0", ParentSpanId = "p\0" }).Select(e => e.Field));

    /// <summary>Payloads may not hold a lone surrogate (jsonb refuses them; SQLite would keep them): refused on both.</summary>
    [Fact]
    public void Payloads_with_a_lone_surrogate_are_refused() =>
        Assert.Equal(["input", "events"],
            Validate(new SpanInput { SpanId = "s", Input = "{\"a\":\"\\ud800\"}", Output = "{\"a\":\"\\ud83d\\ude00\"}", Events = "[\"\\udc00\"]" }).Select(e => e.Field));

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

    /// <summary>Found by fuzzing on PostgreSQL: an OTLP token count of 1e308 summed past bigint in the rollups (a 500).</summary>
    [Fact]
    public void Usage_cost_and_duration_past_their_bounds_are_rejected_naming_the_field()
    {
        var t = DateTimeOffset.UtcNow;
        var errors = Validate(new SpanInput
        {
            SpanId = "s", InputTokens = IngestValidator.MaxTokens + 1, OutputTokens = long.MaxValue,
            CostUsd = 1e300, StartTime = t, EndTime = t + IngestValidator.MaxSpanDuration + TimeSpan.FromTicks(10),
        });
        Assert.Equal(["end_time", "usage.input_tokens", "usage.output_tokens", "cost_usd"], errors.Select(e => e.Field));
        Assert.Contains("the limit is 1,000,000,000", errors[1].Message);
    }

    [Fact]
    public void Usage_cost_and_duration_at_their_bounds_are_valid()
    {
        var t = DateTimeOffset.UtcNow;
        Assert.Empty(Validate(new SpanInput
        {
            SpanId = "s", InputTokens = IngestValidator.MaxTokens, OutputTokens = IngestValidator.MaxTokens,
            CostUsd = IngestValidator.MaxCostUsd, StartTime = t, EndTime = t + IngestValidator.MaxSpanDuration,
        }));
    }
}
