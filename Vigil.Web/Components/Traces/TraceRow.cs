using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>A trace as a grid row: flat properties so the grid's sortable columns have names to report.</summary>
public sealed record TraceRow(TraceRecord Trace)
{
    /// <summary>The trace's scores and its spans', for the scores column.</summary>
    public IReadOnlyList<Vigil.Core.Scores.ScoreRecord> Scores { get; init; } = [];

    public string TraceId => Trace.TraceId;
    public string? Name => Trace.Name;
    public string Status => Trace.Status;
    public long StartTimeUs => Trace.StartTimeUs;
    public double? DurationMs => Trace.DurationMs;
    public int SpanCount => Trace.SpanCount;
    public long Tokens => Trace.InputTokens + Trace.OutputTokens;
    public double CostUsd => Trace.CostUsd;
    public string? Models => Trace.Models;
    public string? ExternalId => Trace.ExternalId;

    /// <summary>Maps the grid's sort column (its property name) back to the service's sort field.</summary>
    public static TraceSort SortOf(string? property) => property switch
    {
        nameof(DurationMs) => TraceSort.Duration,
        nameof(CostUsd) => TraceSort.Cost,
        nameof(Tokens) => TraceSort.Tokens,
        nameof(SpanCount) => TraceSort.SpanCount,
        _ => TraceSort.StartTime,
    };
}
