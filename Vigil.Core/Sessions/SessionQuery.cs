namespace Vigil.Core.Sessions;

/// <summary>Filters, sort and paging of the sessions list (GET /v1/sessions and the Sessions page).</summary>
public sealed record SessionQuery
{
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
    /// <summary>Sessions with at least one trace of this end user.</summary>
    public string? UserId { get; init; }
    /// <summary>Substring of the session id.</summary>
    public string? Q { get; init; }
    public bool? HasErrors { get; init; }
    /// <summary>Sessions active in the range: last activity at or after <see cref="StartDate"/>, first at or before <see cref="EndDate"/>.</summary>
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    public RollupSort Sort { get; init; } = RollupSort.LastActivity;
    public bool Descending { get; init; } = true;
}

/// <summary>Filters, sort and paging of the end-users list (GET /v1/users and the Users page).</summary>
public sealed record EndUserQuery
{
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
    /// <summary>Substring of the user id.</summary>
    public string? Q { get; init; }
    public bool? HasErrors { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    public RollupSort Sort { get; init; } = RollupSort.LastActivity;
    public bool Descending { get; init; } = true;
}

/// <summary>The sorts of the sessions and users lists, each served by an index.</summary>
public enum RollupSort { LastActivity, Cost, Tokens, Traces, Errors, Sessions }
