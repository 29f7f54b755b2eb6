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
}
