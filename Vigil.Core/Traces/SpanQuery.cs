namespace Vigil.Core.Traces;

/// <summary>Filters of GET /v1/spans.</summary>
public sealed record SpanQuery
{
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
    public string? Kind { get; init; }
    public string? Status { get; init; }
    public string? TraceId { get; init; }
    public string? Name { get; init; }
    public string? Model { get; init; }
}
