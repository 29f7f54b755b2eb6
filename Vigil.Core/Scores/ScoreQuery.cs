namespace Vigil.Core.Scores;

/// <summary>Filters and paging of GET /v1/scores (newest first).</summary>
public sealed record ScoreQuery
{
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
    public string? TraceId { get; init; }
    public string? SpanId { get; init; }
    public string? Name { get; init; }
    public string? Source { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
}
