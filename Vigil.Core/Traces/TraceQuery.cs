namespace Vigil.Core.Traces;

/// <summary>Filters and paging of the trace list (GET /v1/traces and the explorer).</summary>
public sealed record TraceQuery
{
    /// <summary>The shortest <see cref="Q"/>: the full-text index is of trigrams, and shorter text would scan every span.</summary>
    public const int MinSearchLength = 3;

    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
    public string? Status { get; init; }
    /// <summary>Substring of the trace name.</summary>
    public string? Name { get; init; }
    /// <summary>Full text: a case-insensitive substring of the trace name, span names, inputs or outputs (3+ characters).</summary>
    public string? Q { get; init; }
    public string? Model { get; init; }
    public bool? HasErrors { get; init; }
    /// <summary>The monitored application's conversation.</summary>
    public string? SessionId { get; init; }
    /// <summary>The monitored application's end user.</summary>
    public string? UserId { get; init; }
    /// <summary>Conditions on scores, all of which a trace must meet.</summary>
    public IReadOnlyList<Scores.ScoreFilter> Scores { get; init; } = [];
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    public TraceSort Sort { get; init; } = TraceSort.StartTime;
    public bool Descending { get; init; } = true;
}

public enum TraceSort { StartTime, Duration, Cost, Tokens, SpanCount, Name }
