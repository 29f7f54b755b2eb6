using System.Globalization;
using Vigil.Core.Scores;
using Vigil.Core.Traces;

namespace Vigil.Web.Components.Traces;

/// <summary>
/// The trace explorer's filters, sort and page as they appear in the URL, so a view can be shared and survives a reload.
/// Unknown or malformed values fall back to defaults rather than failing the page.
/// </summary>
public sealed record TraceListState
{
    public const int DefaultPageSize = 50;
    public static readonly int[] PageSizes = [25, 50, 100, 200];

    public string? Status { get; init; }
    public string? Name { get; init; }
    public string? Model { get; init; }
    public string? Q { get; init; }
    public bool? Errors { get; init; }
    public string? Session { get; init; }
    public string? User { get; init; }
    /// <summary>One score condition (<see cref="ScoreFilter"/> syntax, e.g. <c>helpfulness&gt;=0.5</c>).</summary>
    public string? Score { get; init; }
    /// <summary>A preset key of <see cref="TimeRange"/>, <c>custom</c> (then <see cref="From"/>/<see cref="To"/>), or null for all time.</summary>
    public string? Range { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public TraceSort Sort { get; init; } = TraceSort.StartTime;
    public bool Descending { get; init; } = true;
    public int Page { get; init; }
    public int PageSize { get; init; } = DefaultPageSize;

    public bool HasFilters => Status is not null || Name is not null || Model is not null || Q is not null || Errors is not null || Range is not null
        || Session is not null || User is not null || Score is not null;

    /// <summary>Reads the state from query parameter values (<paramref name="get"/> returns null for an absent one).</summary>
    public static TraceListState Parse(Func<string, string?> get)
    {
        var state = new TraceListState
        {
            Status = get("status") is { } st && SpanStatus.IsValid(st) ? st : null,
            Name = Blank(get("name")),
            Model = Blank(get("model")),
            Q = Blank(get("q")),
            Session = Blank(get("session")),
            User = Blank(get("user")),
            Score = Blank(get("score")),
            Errors = get("errors") switch { "true" or "1" or "yes" => true, "false" or "0" or "no" => false, _ => null },
            Range = TimeRange.IsKnown(get("range")) ? get("range") : null,
            From = Date(get("from")),
            To = Date(get("to")),
            Page = int.TryParse(get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p - 1 : 0,
            PageSize = int.TryParse(get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize,
        };
        if (TraceSortParser.TryParse(get("sort"), out var sort, out var desc)) state = state with { Sort = sort, Descending = desc };
        // from/to alone imply a custom range.
        if (state.Range is null && (state.From is not null || state.To is not null)) state = state with { Range = TimeRange.Custom };
        if (state.Range != TimeRange.Custom) state = state with { From = null, To = null };
        return state;
    }

    /// <summary>Query parameters for <c>NavigationManager.GetUriWithQueryParameters</c>: null removes a parameter, defaults are left out.</summary>
    public Dictionary<string, object?> ToQueryParameters() => new()
    {
        ["status"] = Status,
        ["name"] = Name,
        ["model"] = Model,
        ["q"] = Q,
        ["errors"] = Errors switch { true => "true", false => "false", null => null },
        ["session"] = Session,
        ["user"] = User,
        ["score"] = Score,
        ["range"] = Range,
        ["from"] = Range == TimeRange.Custom ? From?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
        ["to"] = Range == TimeRange.Custom ? To?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
        ["sort"] = Sort == TraceSort.StartTime && Descending ? null : SortKey(Sort) + (Descending ? "_desc" : "_asc"),
        ["page"] = Page > 0 ? (Page + 1).ToString(CultureInfo.InvariantCulture) : null,
        ["size"] = PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null,
    };

    /// <summary>The service query for this state; preset ranges are resolved against <paramref name="now"/>.</summary>
    public TraceQuery ToQuery(DateTimeOffset now)
    {
        DateTimeOffset? from = From, to = To;
        if (TimeRange.SpanOf(Range) is { } span) { from = now - span; to = null; }
        return new TraceQuery
        {
            Offset = Page * PageSize,
            Limit = PageSize,
            Status = Status,
            Name = Name,
            Model = Model,
            Q = Q is { } q && q.Trim().EnumerateRunes().Count() >= TraceQuery.MinSearchLength ? q : null,
            HasErrors = Errors,
            SessionId = Session,
            UserId = User,
            // A condition that does not parse filters nothing (the page says so).
            Scores = ScoreFilter.TryParse(Score, out var f) ? [f] : [],
            StartDate = from,
            EndDate = to,
            Sort = Sort,
            Descending = Descending,
        };
    }

    public static string SortKey(TraceSort sort) => sort switch
    {
        TraceSort.Duration => "duration",
        TraceSort.Cost => "cost",
        TraceSort.Tokens => "tokens",
        TraceSort.SpanCount => "span_count",
        TraceSort.Name => "name",
        _ => "start_time",
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DateTimeOffset? Date(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
}
