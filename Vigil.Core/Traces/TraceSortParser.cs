namespace Vigil.Core.Traces;

/// <summary>
/// Parses a sort expression: a field (<c>start_time</c>, <c>duration</c>, <c>cost</c>, <c>tokens</c>, <c>span_count</c>,
/// <c>name</c>) with a leading <c>-</c> or a <c>_desc</c>/<c>_asc</c> suffix for the direction. Default: newest first.
/// </summary>
public static class TraceSortParser
{
    public const string Allowed = "start_time, duration, cost, tokens, span_count, name (prefix '-' or suffix _desc/_asc)";

    public static bool TryParse(string? value, out TraceSort sort, out bool descending)
    {
        sort = TraceSort.StartTime;
        descending = true;
        if (string.IsNullOrWhiteSpace(value)) return true;
        var (v, desc) = SortExpression.Split(value);
        TraceSort? field = v switch
        {
            "start_time" or "time" or "timestamp" => TraceSort.StartTime,
            "duration" or "duration_ms" or "latency" => TraceSort.Duration,
            "cost" or "cost_usd" => TraceSort.Cost,
            "tokens" or "total_tokens" => TraceSort.Tokens,
            "span_count" or "spans" => TraceSort.SpanCount,
            "name" => TraceSort.Name,
            _ => null,
        };
        if (field is null) return false;
        sort = field.Value;
        // Without an explicit direction, a name sorts A→Z and everything else largest/newest first.
        descending = desc ?? sort != TraceSort.Name;
        return true;
    }
}
