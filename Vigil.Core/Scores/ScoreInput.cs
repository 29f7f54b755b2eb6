namespace Vigil.Core.Scores;

/// <summary>A score as sent (API, SDK, OTLP), before validation. <see cref="Value"/> is a number, a bool or a string.</summary>
public sealed record ScoreInput
{
    public string? TraceId { get; init; }
    public string? SpanId { get; init; }
    public string? Name { get; init; }
    /// <summary>double (numeric), bool (boolean) or string (categorical).</summary>
    public object? Value { get; init; }
    /// <summary>A label beside a numeric value (OTLP <c>gen_ai.evaluation.score.label</c>).</summary>
    public string? Label { get; init; }
    public string? Comment { get; init; }
    public string? Source { get; init; }
    public string? Author { get; init; }
    /// <summary>When the judgement was made; now when absent.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
