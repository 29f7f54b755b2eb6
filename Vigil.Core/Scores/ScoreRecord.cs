namespace Vigil.Core.Scores;

/// <summary>
/// A named judgement of a trace or one of its spans: a number, a boolean (stored as 1/0 in <see cref="Value"/>) or a
/// category (<see cref="StringValue"/>). Refers to its trace by id text, not by row, because a score may arrive before
/// its trace.
/// </summary>
public sealed class ScoreRecord
{
    public long Id { get; set; }
    public required string ProjectId { get; set; }
    public required string TraceId { get; set; }
    public string? SpanId { get; set; }
    public required string Name { get; set; }
    /// <summary>numeric | boolean | categorical (<see cref="ScoreDataType"/>).</summary>
    public required string DataType { get; set; }
    /// <summary>The number, or 1/0 for a boolean; null for a category.</summary>
    public double? Value { get; set; }
    /// <summary>The category, or the label an evaluator gave beside its number.</summary>
    public string? StringValue { get; set; }
    public string? Comment { get; set; }
    /// <summary>api | annotation | sdk | otel (<see cref="ScoreSource"/>).</summary>
    public required string Source { get; set; }
    /// <summary>Who annotated it in the dashboard (the account's e-mail), for <see cref="ScoreSource.Annotation"/>.</summary>
    public string? Author { get; set; }
    /// <summary>When the judgement was made: the time windows of metrics, drift and monitors use it.</summary>
    public long CreatedAtUs { get; set; }
}
