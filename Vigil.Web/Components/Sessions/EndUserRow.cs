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
}
