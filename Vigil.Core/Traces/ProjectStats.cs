namespace Vigil.Core.Traces;

/// <summary>Totals of one project, for the dashboard's home page.</summary>
public sealed record ProjectStats(int TraceCount, long SpanCount, int ErrorTraceCount, long InputTokens, long OutputTokens, double CostUsd, DateTime? LastTraceAt);
