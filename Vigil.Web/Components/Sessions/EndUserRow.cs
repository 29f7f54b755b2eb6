using System.Linq.Expressions;
using Vigil.Core.Sessions;

namespace Vigil.Web.Components.Sessions;

/// <summary>An end user as a grid row.</summary>
public sealed record EndUserRow(EndUserRecord User)
{
    public string UserId => User.UserId;
    public long LastTimeUs => User.LastTimeUs;
    public int SessionCount => User.SessionCount;
    public int TraceCount => User.TraceCount;
    public long TotalTokens => User.TotalTokens;
    public double CostUsd => User.CostUsd;
    public int ErrorCount => User.ErrorTraceCount;
    public double ErrorRate => User.TraceCount == 0 ? 0 : (double)User.ErrorTraceCount / User.TraceCount;

    // The grid's columns, cached: an inline lambda is compiled again at every render (see TraceRow).
    public static readonly Expression<Func<EndUserRow, long>> ByLastTimeUs = x => x.LastTimeUs;
    public static readonly Expression<Func<EndUserRow, int>> BySessionCount = x => x.SessionCount;
    public static readonly Expression<Func<EndUserRow, int>> ByTraceCount = x => x.TraceCount;
    public static readonly Expression<Func<EndUserRow, long>> ByTotalTokens = x => x.TotalTokens;
    public static readonly Expression<Func<EndUserRow, double>> ByCostUsd = x => x.CostUsd;
    public static readonly Expression<Func<EndUserRow, int>> ByErrorCount = x => x.ErrorCount;
}
