using System.Linq.Expressions;
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

    // The grid's columns take these, not inline lambdas: Razor builds a new expression tree at every render, and MudBlazor's
    // PropertyColumn compiles (Reflection.Emit) each one it has not seen, so a live grid compiled five delegates a row
    // refresh and kept the finalizer thread busy collecting them.
    public static readonly Expression<Func<TraceRow, long>> ByStartTimeUs = x => x.StartTimeUs;
    public static readonly Expression<Func<TraceRow, double?>> ByDurationMs = x => x.DurationMs;
    public static readonly Expression<Func<TraceRow, int>> BySpanCount = x => x.SpanCount;
    public static readonly Expression<Func<TraceRow, long>> ByTokens = x => x.Tokens;
    public static readonly Expression<Func<TraceRow, double>> ByCostUsd = x => x.CostUsd;

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
