using Vigil.Core.Traces;

namespace Vigil.Core.Sessions;

/// <summary>
/// Parses the sessions and users lists' <c>sort</c>: <c>last_time</c> (default), <c>cost</c>, <c>tokens</c>,
/// <c>trace_count</c>, <c>errors</c>, and for users <c>session_count</c>; direction as for traces (<see cref="SortExpression"/>).
/// Without one, largest/newest first.
/// </summary>
public static class RollupSortParser
{
    public const string AllowedSessions = "last_time, cost, tokens, trace_count, errors (prefix '-' or suffix _desc/_asc)";
    public const string AllowedUsers = "last_time, cost, tokens, trace_count, session_count, errors (prefix '-' or suffix _desc/_asc)";

    public static bool TryParse(string? value, bool users, out RollupSort sort, out bool descending)
    {
        sort = RollupSort.LastActivity;
        descending = true;
        if (string.IsNullOrWhiteSpace(value)) return true;
        var (v, desc) = SortExpression.Split(value);
        RollupSort? field = v switch
        {
            "last_time" or "last_activity" or "last_seen" or "time" => RollupSort.LastActivity,
            "cost" or "cost_usd" => RollupSort.Cost,
            "tokens" or "total_tokens" => RollupSort.Tokens,
            "trace_count" or "traces" => RollupSort.Traces,
            "errors" or "error_count" => RollupSort.Errors,
            "session_count" or "sessions" when users => RollupSort.Sessions,
            _ => null,
        };
        if (field is null) return false;
        sort = field.Value;
        descending = desc ?? true;
        return true;
    }
}
