using System.Globalization;
using Vigil.Core.Sessions;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Components.Sessions;

/// <summary>
/// The Sessions and Users pages' filters, sort and page as they appear in the URL (<c>q</c>, <c>user</c>, <c>errors</c>,
/// <c>range</c>, <c>sort</c>, <c>page</c>), so a view can be shared. Unknown values fall back to defaults.
/// </summary>
public sealed record RollupListState
{
    public const int PageSize = 50;

    public string? Q { get; init; }
    /// <summary>Sessions page only: sessions of this end user.</summary>
    public string? User { get; init; }
    public bool? Errors { get; init; }
    /// <summary>A <see cref="TimeRange"/> preset key, or null for all time.</summary>
    public string? Range { get; init; }
    public RollupSort Sort { get; init; } = RollupSort.LastActivity;
    public bool Descending { get; init; } = true;
    public int Page { get; init; }

    public bool HasFilters => Q is not null || User is not null || Errors is not null || Range is not null;

    public static RollupListState Parse(Func<string, string?> get, bool users)
    {
        var state = new RollupListState
        {
            Q = Blank(get("q")),
            User = users ? null : Blank(get("user")),
            Errors = get("errors") switch { "true" => true, "false" => false, _ => null },
            Range = TimeRange.SpanOf(get("range")) is not null ? get("range") : null,
            Page = int.TryParse(get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p - 1 : 0,
        };
        return RollupSortParser.TryParse(get("sort"), users, out var sort, out var desc) ? state with { Sort = sort, Descending = desc } : state;
    }

    public Dictionary<string, object?> ToQueryParameters() => new()
    {
        ["q"] = Q,
        ["user"] = User,
        ["errors"] = Errors switch { true => "true", false => "false", null => null },
        ["range"] = Range,
        ["sort"] = Sort == RollupSort.LastActivity && Descending ? null : SortKey(Sort) + (Descending ? "_desc" : "_asc"),
        ["page"] = Page > 0 ? (Page + 1).ToString(CultureInfo.InvariantCulture) : null,
    };

    public SessionQuery ToSessionQuery(DateTimeOffset now) => new()
    {
        Offset = Page * PageSize, Limit = PageSize, Q = Q, UserId = User, HasErrors = Errors,
        StartDate = TimeRange.SpanOf(Range) is { } span ? now - span : null, Sort = Sort, Descending = Descending,
    };

    public EndUserQuery ToUserQuery(DateTimeOffset now) => new()
    {
        Offset = Page * PageSize, Limit = PageSize, Q = Q, HasErrors = Errors,
        StartDate = TimeRange.SpanOf(Range) is { } span ? now - span : null, Sort = Sort, Descending = Descending,
    };

    public static string SortKey(RollupSort sort) => sort switch
    {
        RollupSort.Cost => "cost",
        RollupSort.Tokens => "tokens",
        RollupSort.Traces => "trace_count",
        RollupSort.Errors => "errors",
        RollupSort.Sessions => "session_count",
        _ => "last_time",
    };

    /// <summary>Maps a grid column (its property name) to the sort it stands for.</summary>
    public static RollupSort SortOf(string? property) => property switch
    {
        "CostUsd" => RollupSort.Cost,
        "TotalTokens" => RollupSort.Tokens,
        "TraceCount" => RollupSort.Traces,
        "ErrorCount" => RollupSort.Errors,
        "SessionCount" => RollupSort.Sessions,
        _ => RollupSort.LastActivity,
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
