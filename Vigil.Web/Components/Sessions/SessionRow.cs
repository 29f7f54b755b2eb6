using System.Linq.Expressions;
using Vigil.Core.Sessions;

namespace Vigil.Web.Components.Sessions;

/// <summary>A session as a grid row: flat properties so the sortable columns have names to report (<see cref="RollupListState.SortOf"/>).</summary>
public sealed record SessionRow(SessionSummary Summary)
{
    public string SessionId => Summary.Session.SessionId;
    public IReadOnlyList<string> UserIds => Summary.UserIds;
    public long LastTimeUs => Summary.Session.LastTimeUs;
    public long FirstTimeUs => Summary.Session.FirstTimeUs;
    public double DurationMs => (Summary.Session.LastTimeUs - Summary.Session.FirstTimeUs) / 1000.0;
    public int TraceCount => Summary.Session.TraceCount;
    public long TotalTokens => Summary.Session.TotalTokens;
    public double CostUsd => Summary.Session.CostUsd;
    public int ErrorCount => Summary.Session.ErrorCount;

    // The grid's columns, cached: an inline lambda is compiled again at every render (see TraceRow).
    public static readonly Expression<Func<SessionRow, long>> ByLastTimeUs = x => x.LastTimeUs;
    public static readonly Expression<Func<SessionRow, int>> ByTraceCount = x => x.TraceCount;
    public static readonly Expression<Func<SessionRow, long>> ByTotalTokens = x => x.TotalTokens;
    public static readonly Expression<Func<SessionRow, double>> ByCostUsd = x => x.CostUsd;
    public static readonly Expression<Func<SessionRow, int>> ByErrorCount = x => x.ErrorCount;
}
