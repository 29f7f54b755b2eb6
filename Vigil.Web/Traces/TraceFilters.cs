using Vigil.Core.Traces;
using Vigil.Web.Api;

namespace Vigil.Web.Traces;

/// <summary>The trace list's query parameters, shared by the list and the export; errors name the parameter.</summary>
public static class TraceFilters
{
    public static TraceQuery Parse(QueryErrors errors, string? status, string? name, string? q, string? model, string? hasErrors,
        string? startDate, string? endDate)
    {
        if (q is not null && q.Trim().EnumerateRunes().Count() is > 0 and < TraceQuery.MinSearchLength)
            errors.Add("q", $"needs at least {TraceQuery.MinSearchLength} characters: full-text search runs on a trigram index");
        return new TraceQuery
        {
            Status = errors.OneOf(status, "status", SpanStatus.All),
            Name = name,
            Q = q,
            Model = model,
            HasErrors = errors.Bool(hasErrors, "has_errors"),
            StartDate = errors.Date(startDate, "start_date"),
            EndDate = errors.Date(endDate, "end_date"),
        };
    }
}
